import { execFileSync, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';

/**
 * A throwaway Dovecot (IMAP + POP3) for tests and benchmarks, set up as ../shared/STACK.md section 6
 * verified on this machine: plain-text auth on loopback, users from a passwd-file, Maildir under a temp
 * directory. Under root the mail files belong to a numeric "vmail" uid (no system user is created);
 * as another user Dovecot runs as that user. Mail is delivered through dovecot-lda (the real path) or
 * written into the Maildir directly (fast, for thousands of mails); either way Dovecot assigns UIDs.
 */

const DOVECOT = '/usr/sbin/dovecot';
const LDA = '/usr/lib/dovecot/dovecot-lda';
const DOVEADM = '/usr/bin/doveadm';

/** Dovecot's binaries when installed (apt-get install dovecot-imapd dovecot-pop3d), else null. */
export function findDovecot(): { dovecot: string; lda: string } | null {
  return fs.existsSync(DOVECOT) && fs.existsSync(LDA) && fs.existsSync(DOVEADM) ? { dovecot: DOVECOT, lda: LDA } : null;
}

export interface DovecotServer {
  host: string;
  imapPort: number;
  pop3Port: number;
  /** Adds (or re-passwords) a user; the address is the login name. */
  addUser(address: string, password: string): void;
  /** Delivers one raw message to the user's INBOX through dovecot-lda, as an MTA would. */
  deliver(address: string, raw: Buffer | string): void;
  /**
   * Writes messages straight into the user's Maildir (new/), in order: how a bulk of mail arrives
   * without one process per message. Dovecot gives them UIDs in this order on its next look.
   */
  drop(address: string, raws: Array<Buffer | string>): void;
  /** Makes Dovecot give UIDs to what was dropped so far, so mail dropped later gets higher ones. */
  assignUids(address: string): void;
  /**
   * Makes Dovecot forget the folder's UIDs (its uidlist and indexes), as when a mailbox is rebuilt or
   * restored on the server: the next session sees a new UIDVALIDITY and new UIDs for the same mails.
   */
  resetUidValidity(address: string): void;
  /** Dovecot's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

const VMAIL_UID = 5000;

export async function startDovecot(): Promise<DovecotServer> {
  const bins = findDovecot();
  if (!bins) throw new Error('Dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-dovecot-'));
  // login processes (dovenull) and the mail processes (vmail) must reach the sockets and homes below
  fs.chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? VMAIL_UID : process.getuid!();
  const gid = asRoot ? VMAIL_UID : process.getgid!();
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(dir, 'run', 'state'), { recursive: true });
  fs.mkdirSync(home);
  fs.chownSync(home, uid, gid);
  const users = path.join(dir, 'users');
  fs.writeFileSync(users, '');
  const [imapPort, pop3Port] = [await freePort(), await freePort()];
  const conf = path.join(dir, 'dovecot.conf');
  const logFile = path.join(dir, 'dovecot.log');
  fs.writeFileSync(conf, `protocols = imap pop3
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/run/state
log_path = ${logFile}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = ${Math.min(uid, 500)}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${users}
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${home}/%u
}
mail_location = maildir:~/Maildir
pop3_uidl_format = %08Xu%08Xv
${asRoot ? '' : `default_login_user = ${os.userInfo().username}\ndefault_internal_user = ${os.userInfo().username}\n`}service imap-login {
  inet_listener imap {
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = ${pop3Port}
  }
  inet_listener pop3s {
    port = 0
  }
}
`);
  const proc = spawn(bins.dovecot, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => { stderr += d; });
  const readLog = () => `${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''}${stderr}`;
  const deadline = Date.now() + 15_000;
  while (!(await listening(imapPort)) || !(await listening(pop3Port))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`Dovecot did not start:\n${readLog()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const passwords = new Map<string, string>();
  const maildir = (address: string) => {
    const root = path.join(home, address, 'Maildir');
    for (const sub of ['', 'cur', 'new', 'tmp']) {
      const d = path.join(root, sub);
      if (!fs.existsSync(d)) {
        fs.mkdirSync(d, { recursive: true });
        fs.chownSync(d, uid, gid);
      }
    }
    fs.chownSync(path.join(home, address), uid, gid);
    return root;
  };
  let seq = 0;

  return {
    host: '127.0.0.1',
    imapPort,
    pop3Port,
    addUser(address, password) {
      if (/[:\n]/.test(address + password)) throw new Error('addUser: no ":" or newlines in addresses and passwords');
      passwords.set(address, password);
      fs.writeFileSync(users, [...passwords].map(([u, p]) => `${u}:{PLAIN}${p}\n`).join(''));
      // Dovecot rereads the passwd-file when it sees it changed, which it notices at most once a second:
      // wait until it knows the user, so a login or delivery right after this works.
      for (let i = 0; i < 40; i++) {
        const r = spawnSync(DOVEADM, ['-c', conf, 'user', '-f', 'uid', address], { stdio: 'ignore' });
        if (r.status === 0) break;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
      maildir(address);
    },
    deliver(address, raw) {
      const input = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      execFileSync(bins.lda, ['-c', conf, '-d', address], { input, stdio: ['pipe', 'ignore', 'pipe'] });
    },
    drop(address, raws) {
      const root = maildir(address);
      for (const raw of raws) {
        // Maildir names: <time>.<unique>.<host>; written to tmp/ and renamed into new/ (atomic)
        const name = `${Math.floor(Date.now() / 1000)}.M${++seq}P${process.pid}R${crypto.randomBytes(4).toString('hex')}.kefu-test`;
        const tmp = path.join(root, 'tmp', name);
        fs.writeFileSync(tmp, raw);
        fs.chownSync(tmp, uid, gid);
        fs.renameSync(tmp, path.join(root, 'new', name));
      }
    },
    assignUids(address) {
      execFileSync(DOVEADM, ['-c', conf, 'force-resync', '-u', address, 'INBOX'], { stdio: ['ignore', 'ignore', 'pipe'] });
    },
    resetUidValidity(address) {
      const root = maildir(address);
      for (const f of fs.readdirSync(root)) if (f.startsWith('dovecot')) fs.rmSync(path.join(root, f), { force: true });
    },
    log: readLog,
    async stop() {
      const exited = new Promise((r) => { if (proc.exitCode !== null) r(null); else proc.once('exit', r); });
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Tests call this first: a running Dovecot, or null after a loud skip banner (like the PostgreSQL suites). */
export async function dovecotOrSkip(t: { skip(message: string): void }): Promise<DovecotServer | null> {
  if (!findDovecot()) {
    const msg = '!! SKIPPED: Dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d): the mail intake tests did not run';
    process.stdout.write(`\n${'!'.repeat(78)}\n${msg}\n${'!'.repeat(78)}\n`);
    t.skip(msg);
    return null;
  }
  return startDovecot();
}
