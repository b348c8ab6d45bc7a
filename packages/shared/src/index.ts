export * from './errors.ts';
export * from './text.ts';
export * from './contract.ts';
export * from './identity.ts';
export * from './routes.ts';
export * from './client.ts';
