/**
 * The iPXE scripts the boot service serves. Every iPXE client first gets boot.ipxe, which asks
 * for the script named after its own MAC (served only to the address reserved for that MAC, see
 * machine-access.ts). A machine with an appliance to boot finds one (kernel, initrd, command
 * line); any other machine waits and asks again. The physical driver resets a machine after it
 * assigns it, so it asks again from its reserved address. Once the appliance has its root, the
 * machine's script becomes the booted script, which points at nothing: a machine that reboots
 * on its own waits until the driver gives it a fresh boot.
 *
 * Scripts are text that iPXE interprets: `${…}` expands settings and a newline starts a new
 * command. Values from outside (the kernel command line) are checked by `assertScriptSafe`.
 */

/** Every iPXE client's first script: its own machine script, else wait and ask again. */
export function bootScript(baseUrl: string): string {
  return [
    '#!ipxe',
    '# Fleetyard: every iPXE client on this network starts here (written by the boot service).',
    ':retry',
    `chain --autofree ${baseUrl}/machines/\${netX/mac:hexhyp}.ipxe || goto idle`,
    ':idle',
    'echo Fleetyard: nothing to boot for ${netX/mac} yet; asking again in 10 s',
    'sleep 10',
    'goto retry',
    '',
  ].join('\n');
}

export interface MachineScriptInput {
  /** For the comment at the top: which appliance this boot is. */
  applianceId: string;
  kernelUrl: string;
  initrdUrl: string | null;
  cmdline: string;
}

/** The script of one machine: boot this kernel, initrd and command line. */
export function machineScript(input: MachineScriptInput): string {
  for (const v of [input.kernelUrl, input.initrdUrl ?? '', input.cmdline]) assertScriptSafe(v);
  // With UEFI the kernel finds its initrd by name (`initrd=`); BIOS boots ignore the argument.
  const initrd = input.initrdUrl === null ? '' : ' initrd=initrd';
  return [
    '#!ipxe',
    `# appliance ${input.applianceId} (written by the physical driver)`,
    `kernel ${input.kernelUrl}${initrd} ${input.cmdline}`,
    ...(input.initrdUrl === null ? [] : [`initrd --name initrd ${input.initrdUrl}`]),
    'boot',
    '',
  ].join('\n');
}

/**
 * The script of a machine whose appliance booted from it already: nothing to fetch, so iPXE goes
 * back to boot.ipxe's waiting loop. Keeps the comment that says whose entry this is.
 */
export function bootedScript(applianceId: string): string {
  assertScriptSafe(applianceId);
  return [
    '#!ipxe',
    `# appliance ${applianceId} (booted; written by the physical driver)`,
    `echo Fleetyard: appliance ${applianceId} booted from here already - it needs a new start to boot again`,
    'exit 1',
    '',
  ].join('\n');
}

/** The appliance a machine script boots (from its comment line), or null. */
export function scriptAppliance(script: string): string | null {
  return /^# appliance (\S+) /m.exec(script)?.[1] ?? null;
}

/** Rejects text that would change the script's meaning: line breaks, control characters, `${`. */
export function assertScriptSafe(value: string): string {
  if (/[\x00-\x1f\x7f]/.test(value) || value.includes('${')) {
    throw new RangeError('a value in an iPXE script may hold no control characters and no "${"');
  }
  return value;
}
