import { lazy } from 'react';
import type { PageEntry } from '../page-entry.ts';

/** The self-service portal's pages, in menu order (see admin-pages.ts). */
export const portalPages: PageEntry[] = [
  { path: '', label: 'Overview', component: lazy(() => import('./overview-page.tsx')) },
  { path: 'order', label: 'Order', component: lazy(() => import('./order-page.tsx')) },
  { path: 'requests', label: 'My requests', component: lazy(() => import('./requests-page.tsx')) },
  { path: 'requests/:id', label: 'Request', component: lazy(() => import('./request-page.tsx')), nav: false },
  { path: 'appliances', label: 'My appliances', component: lazy(() => import('./appliances-page.tsx')) },
  { path: 'ccu', label: 'CCU', component: lazy(() => import('./ccu-page.tsx')) },
  { path: 'profile', label: 'Profile', component: lazy(() => import('./profile-page.tsx')) },
  { path: 'designer', label: 'Stack designer', component: lazy(() => import('./designer-page.tsx')) },
];
