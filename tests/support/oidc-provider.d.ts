/** oidc-provider ships no types; the tests use it only to run a real OpenID provider on loopback (tests/api/sso.test.ts). */
declare module 'oidc-provider';
