export * from './organisations';
export * from './accounts';
export * from './catalog';
export * from './quiz';
