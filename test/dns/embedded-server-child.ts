import { EmbeddedDnsServer } from '../../src/dns/embedded-server.ts';

/**
 * An agent's embedded DNS server in a process of its own, for the test that kills it: serves the
 * zone of the bridge named on the command line, says so, and waits to be killed.
 */
const [dir, bridge, gateway, cidr] = process.argv.slice(2) as [string, string, string, string];
const server = new EmbeddedDnsServer(dir);
const r = await server.apply({ network: 'default', bridge, gateway, zone: 'fleetyard.internal', cidrs: [cidr], records: [] });
process.stdout.write(r.serving ? 'serving\n' : 'not serving\n');
setInterval(() => undefined, 60_000);
