import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useAuth } from '../../shared/auth.tsx';
import { FullPageSpin } from './FullPageSpin.tsx';

/** Signed-out visitors go to /login and come back here afterwards (unless they signed out themselves). */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, signedOutOnPurpose } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'anonymous') return <Navigate to="/login" replace state={signedOutOnPurpose ? undefined : { from: location.pathname + location.search }} />;
  return <>{children}</>;
}
