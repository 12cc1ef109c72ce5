/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    user: import('../server/modules/auth/service').SessionUser | null;
    session: import('../server/modules/auth/service').Session | null;
    locale: import('../server/lib/domain').Locale;
  }
}

declare module 'video.js/dist/alt/video.core.min.js' {
  const videojs: unknown;
  export default videojs;
}
