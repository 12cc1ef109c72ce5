export * from './organisations';
export * from './accounts';
export * from './catalog';
export * from './certificates';
export * from './records';
export * from './audit';
export * from './admin';
export * from './learning';
