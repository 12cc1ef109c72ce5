/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    user: import('@server/lib/session').SessionUser | null;
    session: import('@server/lib/session').Session | null;
    locale: import('@db/domain').Locale;
  }
}

declare module 'video.js/dist/alt/video.core.min.js' {
  const videojs: unknown;
  export default videojs;
}
