export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** "10MiB", "10GiB", "6.5GiB": binary units, at most one decimal, no space (usable as a label). */
export function formatBytes(bytes: number): string {
  const unit = bytes >= GiB ? { name: 'GiB', size: GiB } : bytes >= MiB ? { name: 'MiB', size: MiB } : { name: 'KiB', size: 1024 };
  return `${Math.round((bytes / unit.size) * 10) / 10}${unit.name}`;
}
