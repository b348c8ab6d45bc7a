import { reactive } from 'vue';
import { ADMIN_ROLES, PEOPLE_READER_ROLES, STAFF_ROLES, identityRoutes, type LoginRequest, type Role, type User } from '@nuanxin/shared';
import { call, getToken, setToken } from '../api/index.ts';
import { i18n } from '../locales/index.ts';

/** Who is logged in. A plain reactive object is all the state this console shares between pages. */
export const session = reactive<{ user: User | null }>({ user: null });

export function hasRole(role: Role | undefined, roles: readonly Role[]): boolean {
  return role !== undefined && roles.includes(role);
}

export const isStaff = (user: User) => hasRole(user.role, STAFF_ROLES);
export const canReadPeople = (user: User | null) => hasRole(user?.role, PEOPLE_READER_ROLES);
export const isAdmin = (user: User | null) => hasRole(user?.role, ADMIN_ROLES);

/** Thrown when a worker (not staff) account signs in here; its message is shown as it is. */
export class NotStaffError extends Error {
  constructor() {
    super(i18n.global.t('login.notStaff'));
    this.name = 'NotStaffError';
  }
}

/** Ends the session here and on the server; a failed server call must not keep anyone logged in. */
export async function logout(): Promise<void> {
  if (getToken()) await call(identityRoutes.logout).catch(() => undefined);
  setToken(null);
  session.user = null;
}

async function acceptUser(user: User): Promise<User> {
  if (!isStaff(user)) {
    await logout();
    throw new NotStaffError();
  }
  session.user = user;
  return user;
}

export async function login(body: LoginRequest): Promise<User> {
  const res = await call(identityRoutes.login, { body });
  setToken(res.token);
  return acceptUser(res.user);
}

/** Loads the user behind a saved token; null when there is no token. Throws NotStaffError for workers. */
export async function loadMe(): Promise<User | null> {
  if (session.user) return session.user;
  if (!getToken()) return null;
  return acceptUser(await call(identityRoutes.me));
}

/** Forgets the session locally, e.g. after a 401 (the token is already dead on the server). */
export function dropSession(): void {
  setToken(null);
  session.user = null;
}
