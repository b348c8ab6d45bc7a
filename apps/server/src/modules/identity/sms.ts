import type { FastifyBaseLogger } from 'fastify';

/** Sends login codes. Real gateways (Aliyun, Tencent Cloud SMS …) implement this one method. */
export interface SmsProvider {
  sendLoginCode(phone: string, code: string): Promise<void>;
}

/** Development and demo provider: the code goes to the server log instead of a phone. */
export class ConsoleSmsProvider implements SmsProvider {
  constructor(private readonly log: Pick<FastifyBaseLogger, 'info'>) {}
  async sendLoginCode(phone: string, code: string) {
    this.log.info(`SMS code for ${phone}: ${code}`);
  }
}
