import { createHash, randomInt } from 'node:crypto';
import type { LoginRequest, User } from '@nuanxin/shared';
import { withTransaction, type Database } from '../../db/client.ts';
import { LIMITS, type RateLimiter } from '../../common/rate-limit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import * as repo from './identity.repository.ts';
import type { SmsProvider } from './sms.ts';
import { checkPassword } from './password.ts';
import { announceUserChanged, hashToken, newToken, type SessionAuthenticator } from './sessions.ts';
import type { AccountService } from './account.service.ts';

export interface AuthLimits {
  codeTtlSeconds: number;
  maxTries: number;
  /** Seconds between two codes to one phone. */
  resendSeconds: number;
  perPhonePerDay: number;
  perIpPerHour: number;
  sessionDays: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  codeTtlSeconds: 300,
  maxTries: 5,
  resendSeconds: 60,
  perPhonePerDay: 10,
  perIpPerHour: 30,
  sessionDays: 30,
};

function hashCode(phone: string, code: string): string {
  return createHash('sha256').update(`${phone}:${code}`).digest('hex');
}

/** Login by SMS code or staff password, sessions, logout. */
export class AuthService {
  constructor(
    private readonly database: Database,
    private readonly sms: SmsProvider,
    private readonly sessions: SessionAuthenticator,
    private readonly accounts: AccountService,
    private readonly limiter: RateLimiter,
    private readonly limits: AuthLimits,
  ) {}

  /** Sends a 6-digit code, within per-phone and per-IP limits kept in the database (shared by all processes). */
  async sendCode(phone: string, ctx: RequestContext): Promise<void> {
    const db = this.database.db;
    const now = Date.now();
    const [byPhone, byIp] = await Promise.all([
      repo.countCodesSince(db, 'phone', phone, new Date(now - 86_400_000)),
      repo.countCodesSince(db, 'ip', ctx.ip, new Date(now - 3_600_000)),
    ]);
    const latest = byPhone.latest ? new Date(byPhone.latest as Date).getTime() : 0;
    const wait = Math.ceil((latest + this.limits.resendSeconds * 1000 - now) / 1000);
    if (wait > 0) throw new AppError('SMS_TOO_FREQUENT', { seconds: wait });
    if (Number(byPhone.count) >= this.limits.perPhonePerDay || Number(byIp.count) >= this.limits.perIpPerHour) {
      throw new AppError('RATE_LIMITED');
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await repo.insertCode(db, { phone, ip: ctx.ip, codeHash: hashCode(phone, code), expiresAt: new Date(now + this.limits.codeTtlSeconds * 1000) });
    await this.sms.sendLoginCode(phone, code);
  }

  async login(input: LoginRequest, ctx: RequestContext): Promise<{ token: string; expiresAt: string; user: User }> {
    const userId = 'code' in input ? await this.loginWithCode(input.phone, input.code) : await this.loginWithPassword(input.username, input.password, ctx);
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.limits.sessionDays * 86_400_000);
    const user = await withTransaction(this.database.db, async (tx) => {
      const row = await repo.findUserById(tx, userId);
      if (!row) throw new AppError('UNAUTHENTICATED');
      if (row.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
      await repo.insertSession(tx, { userId, regionId: row.region_id, tokenHash: hashToken(token), expiresAt, ip: ctx.ip, userAgent: ctx.userAgent });
      return this.accounts.view(tx, userId);
    });
    return { token, expiresAt: expiresAt.toISOString(), user };
  }

  /** Checks the code; a phone with no account becomes a new worker account. Returns the user id. */
  private async loginWithCode(phone: string, code: string): Promise<string> {
    const db = this.database.db;
    const open = await repo.latestCode(db, phone);
    if (!open || open.consumed_at) throw new AppError('SMS_CODE_INVALID');
    if (open.expires_at.getTime() < Date.now()) throw new AppError('SMS_CODE_EXPIRED');
    if (open.attempts >= this.limits.maxTries) throw new AppError('SMS_CODE_LOCKED');
    if (open.code_hash !== hashCode(phone, code)) {
      // Counted outside any transaction: a refused try must stay counted.
      const tries = await repo.countWrongTry(db, open.id, this.limits.maxTries);
      throw new AppError(tries === undefined || tries >= this.limits.maxTries ? 'SMS_CODE_LOCKED' : 'SMS_CODE_INVALID');
    }
    return withTransaction(db, async (tx) => {
      if (!(await repo.consumeCode(tx, open.id))) throw new AppError('SMS_CODE_INVALID');
      const existing = await repo.findUserByPhone(tx, phone);
      if (existing) return existing.id;
      const regionId = await repo.defaultSignupRegion(tx);
      if (!regionId) throw new AppError('REGION_NOT_FOUND');
      const created = await repo.insertUser(tx, { phone, role: 'worker', region_id: regionId, name: null, username: null, password_hash: null, department_id: null, partner_id: null, station_id: null });
      return created.id;
    });
  }

  /**
   * Password login with lockout: after 5 wrong passwords for one username (or 50 from one address)
   * in 15 minutes, even the right password is refused until the window ends, so guessing is slow.
   */
  private async loginWithPassword(username: string, password: string, ctx: RequestContext): Promise<string> {
    const perAccount = [`password:${username}`, LIMITS.passwordFailuresPerAccount] as const;
    const perAddress = [`password-ip:${ctx.ip}`, LIMITS.passwordFailuresPerAddress] as const;
    const [failures, fromAddress] = await Promise.all([this.limiter.count(...perAccount), this.limiter.count(...perAddress)]);
    if (!this.limiter.allows(failures, perAccount[1]) || !this.limiter.allows(fromAddress, perAddress[1])) {
      throw new AppError('LOGIN_LOCKED', { minutes: perAccount[1].windowSeconds / 60 });
    }
    const user = await repo.findUserByUsername(this.database.db, username);
    const ok = await checkPassword(user?.password_hash ?? null, password);
    if (!user || !ok) {
      await this.limiter.take([perAccount, perAddress]).catch(() => {});
      throw new AppError('BAD_CREDENTIALS');
    }
    return user.id;
  }

  async logout(actor: Actor): Promise<void> {
    await withTransaction(this.database.db, async (tx) => {
      await repo.revokeSession(tx, actor.sessionId);
      await announceUserChanged(tx, actor.userId);
    });
    this.sessions.forgetUser(actor.userId);
  }
}
