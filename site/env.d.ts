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

// An .astro file imported from a .ts file (site/components/question-kinds/author-fields.ts): `tsc`
// does not read .astro files (Astro's own checker does); here it only needs to know it is a component.
declare module '*.astro' {
  const Component: (props: any) => any;
  export default Component;
}
