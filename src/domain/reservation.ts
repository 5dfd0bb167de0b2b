/**
 * Capacity promised to an approved request for its whole time window, on one host per unit.
 * Approval writes them; de-provisioning removes them. Placement counts them, so an approved
 * request never fails later for lack of capacity and nothing is double-booked.
 */
export interface Reservation {
  id: string;
  requestId: string;
  unit: number;
  hostId: string;
  cpu: number;
  memoryMiB: number;
  diskMiB: number;
  startAt: string;
  endAt: string;
}
