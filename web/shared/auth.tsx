import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, onUnauthenticated, setCsrfToken } from './api.ts';
import { authApi } from './endpoints.ts';
import { getLanguage, setLanguage } from './i18n.ts';
import { connectLive, disconnectLive } from './socket.ts';
import type { Locale, MeView, Permission } from './types.ts';

export type AuthStatus = 'loading' | 'anonymous' | 'signed-in';

export interface Auth {
  status: AuthStatus;
  me: MeView | null;
  /** Signs in; the language chosen on the sign-in page is saved to the profile. */
  login(email: string, password: string): Promise<MeView>;
  logout(): Promise<void>;
  /** True after the person signed out themselves (not when a session merely expired). */
  signedOutOnPurpose: boolean;
  /** Forgets the session locally (after "sign out everywhere" the server already ended it). */
  forget(onPurpose?: boolean): void;
  refresh(): Promise<void>;
  /** Switches the UI language and, when signed in, saves it to the profile. */
  changeLanguage(lang: Locale): Promise<void>;
  update(patch: Partial<MeView>): void;
  can(permission: Permission): boolean;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [signedOutOnPurpose, setSignedOutOnPurpose] = useState(false);
  const [me, setMe] = useState<MeView | null>(null);
  // A language picked while signed out (on the sign-in page) is saved to the profile at sign-in;
  // otherwise the profile's language wins.
  const [choiceWhileSignedOut, setChoiceWhileSignedOut] = useState<Locale | null>(null);

  const signedIn = useCallback((view: MeView) => {
    setCsrfToken(view.csrfToken);
    setMe(view);
    setStatus('signed-in');
    setSignedOutOnPurpose(false);
  }, []);

  const forget = useCallback((onPurpose = false) => {
    setSignedOutOnPurpose(onPurpose);
    setCsrfToken('');
    setMe(null);
    setStatus('anonymous');
  }, []);

  const refresh = useCallback(async () => {
    try {
      const view = await authApi.me();
      if (view.locale !== getLanguage()) setLanguage(view.locale); // the profile follows the person across browsers
      signedIn(view);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) forget();
      else throw err;
    }
  }, [signedIn, forget]);

  useEffect(() => {
    refresh().catch(() => forget(false));
  }, [refresh, forget]);

  useEffect(() => onUnauthenticated(() => forget(false)), [forget]);

  useEffect(() => {
    if (status !== 'signed-in') return;
    connectLive();
    return () => disconnectLive();
  }, [status]);

  const login = useCallback(async (email: string, password: string) => {
    const view = await authApi.login({ email, password });
    setCsrfToken(view.csrfToken);
    const chosen = choiceWhileSignedOut;
    let result = view;
    if (chosen && chosen !== view.locale) {
      await authApi.setLocale(chosen).catch(() => undefined);
      result = { ...view, locale: chosen };
    } else if (view.locale !== getLanguage()) {
      setLanguage(view.locale);
    }
    setChoiceWhileSignedOut(null);
    signedIn(result);
    return result;
  }, [signedIn, choiceWhileSignedOut]);

  const logout = useCallback(async () => {
    try { await authApi.logout(); } finally { forget(true); }
  }, [forget]);

  const changeLanguage = useCallback(async (lang: Locale) => {
    setLanguage(lang);
    if (status === 'signed-in') {
      setMe((m) => (m ? { ...m, locale: lang } : m));
      await authApi.setLocale(lang);
    } else {
      setChoiceWhileSignedOut(lang);
    }
  }, [status]);

  const update = useCallback((patch: Partial<MeView>) => setMe((m) => (m ? { ...m, ...patch } : m)), []);

  const value = useMemo<Auth>(() => ({
    status, me, signedOutOnPurpose, login, logout, forget, refresh, changeLanguage, update,
    can: (p) => !!me?.permissions.includes(p),
  }), [status, me, signedOutOnPurpose, login, logout, forget, refresh, changeLanguage, update]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside <AuthProvider>');
  return auth;
}
