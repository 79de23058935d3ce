import type { Namespace } from 'socket.io';

/** socket.io-adapter's MessageType values (the wire values other nodes' adapters decode). */
export const BROADCAST = 3;
const SOCKETS_JOIN = 4;
const SOCKETS_LEAVE = 5;

interface BroadcastOptions { rooms: Set<string>; except?: Set<string>; flags?: { local?: boolean } & Record<string, unknown> }
interface ClusterAdapterLike {
  broadcast(packet: unknown, opts: BroadcastOptions): unknown;
  addSockets(opts: BroadcastOptions, rooms: string[]): unknown;
  delSockets(opts: BroadcastOptions, rooms: string[]): unknown;
  publish(message: { type: number; data: unknown }): unknown;
}
/** The other nodes heard from within the heartbeat timeout (socket.io-adapter's ClusterAdapterWithHeartbeat keeps it private). */
const otherNodes = (adapter: unknown) => (adapter as { nodesMap?: Map<string, number> }).nodesMap;

/**
 * Socket.IO's cluster adapter (the PostgreSQL one builds on it) sends a broadcast to the other nodes
 * first and delivers it to this node's own sockets only once that NOTIFY has returned, so every push, a
 * chat line included, waits for a database round trip — seconds when PostgreSQL is busy. Here this
 * node's sockets get it at once, in emit order, and the other nodes are told right after (their order
 * among themselves is the adapter's as before). Acknowledged broadcasts and everything else are the
 * adapter's own. A node that knows of no other node publishes no broadcast at all. Room joins and leaves
 * of many sockets at once (socketsJoin, socketsLeave) likewise apply here at once: the adapter applied
 * them only after their NOTIFY, so a push right after a join missed the sockets it had just added.
 */
export function localFirst<A extends ClusterAdapterLike>(make: (nsp: Namespace) => A): (nsp: Namespace) => A {
  // Socket.IO calls the factory with `new`: an arrow function cannot be
  return function (nsp: Namespace) {
    const adapter = make(nsp);
    /** Applies an operation to this node's sockets now (the adapter's own, with `local`), then tells the other nodes. */
    const hereThenOthers = (opts: BroadcastOptions, applyHere: (local: BroadcastOptions) => unknown, message: (wireOpts: unknown) => { type: number; data: unknown }) => {
      // with `local` the adapter skips publishing and applies synchronously
      void applyHere({ ...opts, flags: { ...opts.flags, local: true } });
      // alone (no other node heard from): nobody to tell, and a NOTIFY per push would load PostgreSQL for
      // nothing. A node that starts announces itself before it takes sockets, so it is known in time.
      if (otherNodes(adapter)?.size === 0) return;
      adapter.publish(message({ rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags }));
    };
    const clusterBroadcast = adapter.broadcast.bind(adapter);
    adapter.broadcast = (packet, opts) => {
      if (opts.flags?.local) return clusterBroadcast(packet, opts);
      hereThenOthers(opts, (local) => clusterBroadcast(packet, local), (wireOpts) => ({ type: BROADCAST, data: { packet, opts: wireOpts } }));
    };
    for (const [method, type] of [['addSockets', SOCKETS_JOIN], ['delSockets', SOCKETS_LEAVE]] as const) {
      const clusterApply = adapter[method].bind(adapter);
      adapter[method] = (opts, rooms) => {
        if (opts.flags?.local) return clusterApply(opts, rooms);
        hereThenOthers(opts, (local) => clusterApply(local, rooms), (wireOpts) => ({ type, data: { opts: wireOpts, rooms } }));
      };
    }
    return adapter;
  };
}
