/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = 'kefu_session';
export const CSRF_HEADER = 'x-csrf-token';
