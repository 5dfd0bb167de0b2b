import { lazy } from 'react';
import type { PageEntry } from '../page-entry.ts';

/**
 * The admin console's pages, in menu order. A new capability adds its page file here (one
 * resource per file, `<name>-page.tsx`) and a browser test under test/browser/.
 */
export const adminPages: PageEntry[] = [
  { path: '', label: 'Dashboard', component: lazy(() => import('./dashboard-page.tsx')) },
  { path: 'resources', label: 'Resources', component: lazy(() => import('./resources-page.tsx')) },
  { path: 'images', label: 'Images', component: lazy(() => import('./images-page.tsx')) },
  { path: 'kernels', label: 'Kernels', component: lazy(() => import('./kernels-page.tsx')) },
  { path: 'networks', label: 'Networks', component: lazy(() => import('./networks-page.tsx')) },
  { path: 'networks/:id', label: 'Network', component: lazy(() => import('./network-page.tsx')), nav: false },
  { path: 'appliances', label: 'Appliances', component: lazy(() => import('./appliances-page.tsx')) },
  { path: 'appliances/:id', label: 'Appliance', component: lazy(() => import('./appliance-page.tsx')), nav: false },
  { path: 'ha', label: 'High availability', component: lazy(() => import('./ha-page.tsx')) },
  { path: 'designer', label: 'Stack designer', component: lazy(() => import('../portal/designer-page.tsx')) },
  { path: 'requests', label: 'Requests', component: lazy(() => import('./requests-page.tsx')) },
  { path: 'requests/:id', label: 'Request', component: lazy(() => import('./request-page.tsx')), nav: false },
  { path: 'users', label: 'Users', component: lazy(() => import('./users-page.tsx')) },
  { path: 'users/:id', label: 'User', component: lazy(() => import('./user-page.tsx')), nav: false },
  { path: 'groups', label: 'Groups', component: lazy(() => import('./groups-page.tsx')) },
  { path: 'products', label: 'Products', component: lazy(() => import('./products-page.tsx')) },
  { path: 'price-list', label: 'Price list', component: lazy(() => import('./price-list-page.tsx')) },
  { path: 'quotas', label: 'Quotas', component: lazy(() => import('./quotas-page.tsx')) },
  { path: 'mails', label: 'Mails', component: lazy(() => import('./mails-page.tsx')) },
];
