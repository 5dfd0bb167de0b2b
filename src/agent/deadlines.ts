import type { Virtualization } from '../domain/meta.ts';

/**
 * How long the control plane waits for an agent's answer, per operation and virtualization: as
 * long as the work can take, not one figure for everything. A PXE boot waits for the machine's
 * firmware, its download and its init (the physical driver's boot timeout, 180 s); a VM under TCG
 * boots in seconds but may take its boot timeout (60 s) plus the disk clone; a container is there
 * at once. A command that outlives its deadline is not lost: the agent keeps running it, and the
 * same command sent again joins it instead of starting a second copy (see OperationQueue).
 */
export const ENSURE_DEADLINE_MS: Readonly<Record<Virtualization, number>> = {
  container: 60_000,
  sim: 30_000,
  qemu: 150_000,
  physical: 240_000,
};

/** Stopping and destroying: a graceful shutdown then a kill, or a power-off through the BMC. */
export const DESTROY_DEADLINE_MS = 120_000;

/** A conversion copies a whole root file system (see storage/convert.ts): its time grows with the data. */
export const CONVERT_DEADLINE_MS = 60 * 60_000;

/**
 * Applying an appliance's configuration groups: waiting for its SSH server, then one
 * ansible-playbook run per group, each stopped after CONFIGURE_RUN_MS.
 */
export const CONFIGURE_RUN_MS = 10 * 60_000;
export const CONFIGURE_DEADLINE_MS = 30 * 60_000;
