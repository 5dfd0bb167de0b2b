import { lazyPage } from '../lazy-page.ts';
import type { PageEntry } from '../page-entry.ts';

/** The self-service portal's pages, in menu order (see admin-pages.ts). */
export const portalPages: PageEntry[] = [
  { path: '', label: 'Overview', component: lazyPage(() => import('./overview-page.tsx')) },
  { path: 'order', label: 'Order', component: lazyPage(() => import('./order-page.tsx')) },
  { path: 'requests', label: 'My requests', component: lazyPage(() => import('./requests-page.tsx')) },
  { path: 'requests/:id', label: 'Request', component: lazyPage(() => import('./request-page.tsx')), nav: false },
  { path: 'appliances', label: 'My appliances', component: lazyPage(() => import('./appliances-page.tsx')) },
  { path: 'ccu', label: 'CCU', component: lazyPage(() => import('./ccu-page.tsx')) },
  { path: 'profile', label: 'Profile', component: lazyPage(() => import('./profile-page.tsx')) },
  { path: 'designer', label: 'Stack designer', component: lazyPage(() => import('./designer-page.tsx')) },
];
