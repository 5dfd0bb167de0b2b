import { lazyPage } from '../lazy-page.ts';
import type { PageEntry } from '../page-entry.ts';

/**
 * The admin console's pages, in menu order. A new capability adds its page file here (one
 * resource per file, `<name>-page.tsx`) and a browser test under test/browser/.
 */
export const adminPages: PageEntry[] = [
  { path: '', label: 'Dashboard', component: lazyPage(() => import('./dashboard-page.tsx')) },
  { path: 'resources', label: 'Resources', component: lazyPage(() => import('./resources-page.tsx')) },
  { path: 'images', label: 'Images', component: lazyPage(() => import('./images-page.tsx')) },
  { path: 'kernels', label: 'Kernels', component: lazyPage(() => import('./kernels-page.tsx')) },
  { path: 'networks', label: 'Networks', component: lazyPage(() => import('./networks-page.tsx')) },
  { path: 'networks/:id', label: 'Network', component: lazyPage(() => import('./network-page.tsx')), nav: false },
  { path: 'dns', label: 'DNS records', component: lazyPage(() => import('./dns-page.tsx')) },
  { path: 'appliances', label: 'Appliances', component: lazyPage(() => import('./appliances-page.tsx')) },
  { path: 'appliances/:id', label: 'Appliance', component: lazyPage(() => import('./appliance-page.tsx')), nav: false },
  { path: 'ha', label: 'High availability', component: lazyPage(() => import('./ha-page.tsx')) },
  { path: 'power', label: 'Power', component: lazyPage(() => import('./power-page.tsx')) },
  { path: 'designer', label: 'Stack designer', component: lazyPage(() => import('../portal/designer-page.tsx')) },
  { path: 'requests', label: 'Requests', component: lazyPage(() => import('./requests-page.tsx')) },
  { path: 'requests/:id', label: 'Request', component: lazyPage(() => import('./request-page.tsx')), nav: false },
  { path: 'users', label: 'Users', component: lazyPage(() => import('./users-page.tsx')) },
  { path: 'users/:id', label: 'User', component: lazyPage(() => import('./user-page.tsx')), nav: false },
  { path: 'groups', label: 'Groups', component: lazyPage(() => import('./groups-page.tsx')) },
  { path: 'products', label: 'Products', component: lazyPage(() => import('./products-page.tsx')) },
  { path: 'config-groups', label: 'Configuration', component: lazyPage(() => import('./config-groups-page.tsx')) },
  { path: 'price-list', label: 'Price list', component: lazyPage(() => import('./price-list-page.tsx')) },
  { path: 'quotas', label: 'Quotas', component: lazyPage(() => import('./quotas-page.tsx')) },
  { path: 'mails', label: 'Mails', component: lazyPage(() => import('./mails-page.tsx')) },
];
