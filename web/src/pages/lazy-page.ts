import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

const ATTEMPTS = 3;

/**
 * A page loaded on first visit, like React's lazy(), but a chunk whose download fails (the network
 * dropped the request) is asked for again, twice, before the page shows the error: one lost
 * request must not leave a blank page until a reload.
 */
export function lazyPage(load: () => Promise<{ default: ComponentType }>): LazyExoticComponent<ComponentType> {
  return lazy(async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await load();
      } catch (e) {
        if (attempt >= ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, 250 * attempt));
      }
    }
  });
}
