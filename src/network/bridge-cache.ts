import type { RuntimeNetwork } from '../drivers/driver.ts';
import { ensureBridge, linkExists } from './bridge.ts';

/**
 * Bridges are shared by many appliances: each is set up once per process (a failed attempt is
 * forgotten so the next start retries), and again if it vanished meanwhile.
 */
export class BridgeCache {
  private readonly ready = new Map<string, Promise<void>>();

  ensure(net: RuntimeNetwork): Promise<void> {
    const key = `${net.bridge} ${net.gateway}/${net.prefixLength}`;
    let ready = this.ready.get(key);
    if (ready === undefined || !linkExists(net.bridge)) {
      ready = ensureBridge({ name: net.bridge, gateway: net.gateway, prefixLength: net.prefixLength });
      ready.catch(() => this.ready.delete(key));
      this.ready.set(key, ready);
    }
    return ready;
  }
}
