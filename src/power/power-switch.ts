import { Ipmi, type BmcAccess, type PowerState } from '../drivers/physical/ipmi.ts';

/**
 * How the power manager switches a host: through its BMC. `status` throws when the BMC cannot
 * say (the manager never takes that for off).
 */
export interface PowerSwitch {
  status(bmc: BmcAccess): Promise<PowerState>;
  on(bmc: BmcAccess): Promise<void>;
  off(bmc: BmcAccess): Promise<void>;
}

/** IPMI over LAN with ipmitool (src/drivers/physical/ipmi.ts), as fencing and bare metal use it. */
export class IpmiPowerSwitch implements PowerSwitch {
  status(bmc: BmcAccess): Promise<PowerState> {
    return new Ipmi(bmc).powerStatus();
  }

  on(bmc: BmcAccess): Promise<void> {
    return new Ipmi(bmc).powerOn();
  }

  off(bmc: BmcAccess): Promise<void> {
    return new Ipmi(bmc).powerOff();
  }
}
