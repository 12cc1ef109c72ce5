export * from './organisations';
export * from './accounts';
export * from './catalog';
export * from './audit';
export * from './admin';
