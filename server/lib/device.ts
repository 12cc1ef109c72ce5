/**
 * The device cookie: a random value that names one browser, set when a person enters an attestation
 * testing session's code (server/modules/attestation/testing.ts). A testing session's attempt belongs
 * to one device at a time; the quiz routes and pages pass this cookie to the check
 * (checkAttemptDevice). HttpOnly, like the session cookie: no script reads it.
 */
import { randomBytes } from 'node:crypto';
import { sessionCookieOptions } from './session';

export const DEVICE_COOKIE = 'bilim_device';
/** a device value as we set it: 32 url-safe characters */
export const isDeviceToken = (v: string | undefined | null): v is string => !!v && /^[A-Za-z0-9_-]{32}$/.test(v);
export const newDeviceToken = () => randomBytes(24).toString('base64url');
export function deviceCookieOptions(https: boolean) {
  // a day: the device keeps its seat through a long session and a reopened browser
  return { ...sessionCookieOptions(https), maxAge: 24 * 3600 };
}
