import { randomUUID } from 'node:crypto';
import type { ConfigGroup, ConfigGroupSpec } from '../../src/domain/config-group.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import type { NewEvent } from '../../src/domain/event-types.ts';
import { DEFAULT_REQUIREMENTS, INITIAL_APPLIANCE_STATUS, RELEASE_FINALIZER, type Appliance, type ApplianceStatus, type Requirements } from '../../src/domain/appliance.ts';
import type { Image } from '../../src/domain/image.ts';
import type { Storage } from '../../src/domain/storage.ts';
import { uuidV7Ids } from '../../src/domain/ids.ts';
import type { Network } from '../../src/domain/network.ts';
import type { Resource, ResourceSpec } from '../../src/domain/resource.ts';

/**
 * Builders for objects and events the store and bus suites write. Each gives a valid object with
 * a fresh UUIDv7 id (so creation order is id order, as in production) and version 1.
 */
const NOW = '2026-01-01T00:00:00.000Z';

export function aResource(name: string, spec: Partial<ResourceSpec> = {}): Resource {
  return {
    id: uuidV7Ids.next(),
    name,
    version: 1,
    generation: 1,
    createdAt: NOW,
    updatedAt: NOW,
    spec: {
      type: 'vm',
      hostId: null,
      capacity: { cpu: 2, memoryMiB: 2048, diskMiB: 10_240 },
      virtualizations: [],
      labels: {},
      ...spec,
    },
    status: { state: 'idle', powerState: 'on', applianceId: null, address: null, lastHeartbeatAt: null, facts: {} },
  };
}

export function aNetwork(name: string): Network {
  return {
    id: uuidV7Ids.next(),
    name,
    version: 1,
    generation: 1,
    createdAt: NOW,
    updatedAt: NOW,
    spec: { bridge: 'fybr0', cidr: '10.0.0.0/24', gateway: '10.0.0.1', excluded: [] },
    status: {},
  };
}

export function aStorage(name = 'local'): Storage {
  return { id: uuidV7Ids.next(), name, version: 1, generation: 1, createdAt: NOW, updatedAt: NOW, spec: { type: 'local', path: `/srv/${name}` }, status: { imageCount: 0 } };
}

export function anImage(name: string, storageId: string): Image {
  return {
    id: uuidV7Ids.next(),
    name,
    version: 1,
    generation: 1,
    createdAt: NOW,
    updatedAt: NOW,
    spec: { storageId, format: 'rootfs-dir', parentId: null, command: [] },
    status: { state: 'ready', path: null, sizeBytes: 0, message: null, importedBytes: 0, expectedBytes: null },
  };
}

/**
 * An appliance as it is stored, stopped unless `status` says otherwise; nothing reconciles it
 * unless an event names it, so tests can put thousands in a store at once.
 */
export function anAppliance(
  name: string,
  imageId: string,
  opts: { requirements?: Partial<Requirements>; status?: Partial<ApplianceStatus>; ownerId?: string | null; id?: string } = {},
): Appliance {
  return {
    id: opts.id ?? uuidV7Ids.next(),
    name,
    version: 1,
    generation: 1,
    createdAt: NOW,
    updatedAt: NOW,
    spec: {
      ownerId: opts.ownerId ?? null,
      imageId,
      kernelId: null,
      requirements: { ...DEFAULT_REQUIREMENTS, ...opts.requirements },
      command: null,
      hostname: name,
      network: 'default',
      ha: false,
      labels: {},
      desiredState: 'stopped',
      reservation: null,
      login: null,
    },
    status: { ...INITIAL_APPLIANCE_STATUS, phase: 'stopped', observedGeneration: 1, ...opts.status },
    deletionRequestedAt: null,
    finalizers: [RELEASE_FINALIZER],
  };
}

/** A registered data-center event (it has no owner) about `objectId`; `message` tells a test's events apart. */
export function aNewEvent(objectId: string, message = `resource ${objectId} removed`): NewEvent {
  return { type: 'resource.removed', kind: 'resource', objectId, message, data: {} };
}

/** An event as the outbox relay would publish it; `seq` orders a test's events. */
export function anEvent(seq: number, data: Record<string, unknown> = {}): FleetyardEvent {
  return {
    id: randomUUID(),
    seq,
    time: NOW,
    type: 'resource.removed',
    kind: 'resource',
    objectId: `object-${seq}`,
    ownerId: null,
    message: `event ${seq}`,
    data,
  };
}

export function aConfigGroup(name: string, spec: Partial<ConfigGroupSpec> = {}): ConfigGroup {
  return {
    id: uuidV7Ids.next(),
    name,
    version: 1,
    generation: 1,
    createdAt: NOW,
    updatedAt: NOW,
    spec: { description: '', revision: 1, ansible: null, puppet: null, cloudInit: null, ...spec },
    status: {},
  };
}
