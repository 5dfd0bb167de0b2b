import { type Appliance, reachableAddress } from '../domain/appliance.ts';
import type { CloudRequest } from '../domain/cloud-request.ts';
import { LIVE } from '../cloud/request-orders.ts';
import type { InstanceObject, StackInstance } from '../domain/stack-plan.ts';
import type { Repos } from '../store/store.ts';

/** An instance with the object that carries it, read now; `live` says whether it still runs or will. */
export interface LoadedInstance {
  instance: StackInstance;
  request?: CloudRequest | undefined;
  appliance?: Appliance | undefined;
  live: boolean;
  view: InstanceObject | null;
}

/**
 * Reads the request or appliance behind each instance. A request is live while it holds or will
 * hold something and nobody cancelled it; an appliance while it exists and is not being deleted.
 * What is not live no longer counts: a plan creates that instance again.
 */
export async function loadInstances(via: Repos, instances: readonly StackInstance[]): Promise<LoadedInstance[]> {
  const out: LoadedInstance[] = [];
  for (const instance of instances) {
    if (instance.kind === 'request') {
      const request = await via.requests.get(instance.objectId);
      const live = request !== undefined && LIVE.has(request.status.state) && !request.spec.cancelled;
      out.push({ instance, request, live, view: request ? requestView(request, await firstAddress(via, request)) : null });
    } else {
      const appliance = await via.appliances.get(instance.objectId);
      out.push({ instance, appliance, live: appliance !== undefined && appliance.deletionRequestedAt === null, view: appliance ? applianceView(appliance) : null });
    }
  }
  return out;
}

async function firstAddress(via: Repos, r: CloudRequest): Promise<string | null> {
  const id = r.status.applianceIds[0];
  const a = id ? await via.appliances.get(id) : undefined;
  return a ? reachableAddress(a) : null;
}

function requestView(r: CloudRequest, address: string | null): InstanceObject {
  return { id: r.id, name: r.name, state: r.status.state, reason: r.status.reason, applianceIds: r.status.applianceIds, address };
}

function applianceView(a: Appliance): InstanceObject {
  return { id: a.id, name: a.name, state: a.status.phase, reason: a.status.message, applianceIds: [a.id], address: reachableAddress(a) };
}
