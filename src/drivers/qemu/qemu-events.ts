import { QmpClient, type QmpEvent } from './qmp-client.ts';

/**
 * The VM lifecycle events QEMU reports, forwarded to whoever listens on the driver
 * (`onRuntimeEvent`): the agent, which sends them to the control plane as Fleetyard events. The
 * driver's own operations never rely on a listener being connected: a stop waits on its own QMP
 * connection and on the process.
 *
 *   POWERDOWN  the ACPI power button was pressed (system_powerdown)
 *   SHUTDOWN   the guest powered off (data.guest true, data.reason 'guest-shutdown'), or QEMU
 *              was told to quit, or a reboot ended the process (-no-reboot; reason 'guest-reset')
 *   RESET      the machine was reset
 *   STOP       the VM was paused
 *
 * One long QMP connection per VM (to its events socket), opened when the driver starts or adopts
 * the VM and gone when QEMU exits. It does not keep the process alive (unref). A QMP socket takes
 * one client at a time, so a second driver instance on the same state dir gets no events.
 */
export interface VmEvent {
  applianceId: string;
  event: 'SHUTDOWN' | 'POWERDOWN' | 'RESET' | 'STOP';
  data: Record<string, unknown>;
  /** When QEMU emitted it (ISO 8601). */
  at: string;
}

export type VmEventListener = (event: VmEvent) => void;

const FORWARDED = new Set(['SHUTDOWN', 'POWERDOWN', 'RESET', 'STOP']);

export class VmEvents {
  private readonly listeners = new Set<VmEventListener>();
  private readonly connections = new Map<string, Promise<QmpClient | null>>();

  /** Adds a listener; returns the function that removes it. */
  on(listener: VmEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts listening to the VM's events if not already; never fails (events are best effort). */
  watch(applianceId: string, eventsSocket: string): void {
    if (this.connections.has(applianceId)) return;
    const connecting = QmpClient.connect(eventsSocket, 5_000).then(
      (client) => {
        client.unref();
        client.on('event', (ev: QmpEvent) => this.forward(applianceId, ev));
        client.on('close', () => {
          if (this.connections.get(applianceId) === connecting) this.connections.delete(applianceId);
        });
        return client;
      },
      () => {
        if (this.connections.get(applianceId) === connecting) this.connections.delete(applianceId);
        return null;
      },
    );
    this.connections.set(applianceId, connecting);
  }

  /** Stops listening (the VM is gone or going). */
  async unwatch(applianceId: string): Promise<void> {
    const connecting = this.connections.get(applianceId);
    this.connections.delete(applianceId);
    (await connecting)?.close();
  }

  private forward(applianceId: string, ev: QmpEvent): void {
    if (!FORWARDED.has(ev.event)) return;
    const event = { applianceId, event: ev.event as VmEvent['event'], data: ev.data, at: ev.at };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the others still hear the event.
      }
    }
  }
}
