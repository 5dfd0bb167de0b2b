/**
 * The iPXE scripts the boot service serves. Every iPXE client first gets boot.ipxe, which asks
 * for the script named after its own MAC. A machine with an appliance to boot finds one (kernel,
 * initrd, command line); any other machine waits and asks again, so an idle or just-discovered
 * machine boots its appliance as soon as one is assigned, without being power-cycled.
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
