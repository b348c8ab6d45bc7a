import { hash, verify } from '@node-rs/argon2';

// A real hash of a random string, so an unknown username costs the same time as a wrong password.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$EZiLqglUnSJaetDfeCBa6g$36HiWb7QGWBsFDJ4Ozuj+E4p5MEOTPnTthyZJbghtyI';

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Constant-work check: `storedHash` null (no such user) still runs one verification. */
export async function checkPassword(storedHash: string | null, password: string): Promise<boolean> {
  try {
    const ok = await verify(storedHash ?? DUMMY_HASH, password);
    return ok && storedHash !== null;
  } catch {
    return false;
  }
}
