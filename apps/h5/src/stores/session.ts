import { identityRoutes, type User } from '@nuanxin/shared';
import { reactive } from 'vue';
import { api, clearToken, getToken, setToken } from '../api/index.ts';

// The person's own profile is kept on their phone so the app still greets them when it opens
// without signal; it is refreshed from GET /api/v1/me on every start and removed on logout.
const USER_KEY = 'nx.h5.user';

function cachedUser(): User | null {
  try {
    const text = localStorage.getItem(USER_KEY);
    return text && getToken() ? (JSON.parse(text) as User) : null;
  } catch {
    return null;
  }
}

export const session = reactive({
  user: cachedUser(),
  /** True once /me answered in this page load; until then `user` may be the cached copy. */
  fresh: false,
});

export function isLoggedIn(): boolean {
  return getToken() !== null;
}

export function setUser(user: User): void {
  session.user = user;
  session.fresh = true;
  localStorage.setItem(USER_KEY, JSON.stringify(user));
}

/** Asks the server who is logged in. Throws ApiError (NETWORK when offline, 401 when expired). */
export async function loadUser(): Promise<User> {
  const user = await api(identityRoutes.me);
  setUser(user);
  return user;
}

export async function loginWithCode(phone: string, code: string): Promise<User> {
  const { token, user } = await api(identityRoutes.login, { body: { phone, code } });
  setToken(token);
  setUser(user);
  return user;
}

/** Forgets the session on this phone; the server side is revoked by logout(). */
export function clearSession(): void {
  clearToken();
  localStorage.removeItem(USER_KEY);
  session.user = null;
  session.fresh = false;
}

export async function logout(): Promise<void> {
  try {
    await api(identityRoutes.logout);
  } catch {
    // Offline or already expired: the token is dropped here anyway and dies with its expiry.
  }
  clearSession();
}
