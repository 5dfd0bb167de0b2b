/**
 * The command of an appliance of the base image whose health a test breaks on purpose: busybox
 * httpd serves /www with /health, and two CGI scripts, asked over the appliance's bridge address,
 * break it: /cgi-bin/break removes /health (check_http: 404, WARNING), /cgi-bin/stop ends httpd
 * (connection refused, CRITICAL). Each start writes /health again, so a restart heals it.
 */
export const CHECKED_APPLIANCE_SCRIPT = [
  "trap 'kill $(cat /run/httpd.pid) 2>/dev/null; exit 0' TERM INT",
  'mkdir -p /www/cgi-bin',
  'echo healthy > /www/health',
  `printf '#!/bin/sh\\nrm -f /www/health\\nprintf "Content-Type: text/plain\\\\r\\\\n\\\\r\\\\nbroken\\\\n"\\n' > /www/cgi-bin/break`,
  `printf '#!/bin/sh\\nprintf "Content-Type: text/plain\\\\r\\\\n\\\\r\\\\nstopping\\\\n"\\nkill $(cat /run/httpd.pid)\\n' > /www/cgi-bin/stop`,
  'chmod 755 /www/cgi-bin/break /www/cgi-bin/stop',
  'httpd -f -p 80 -h /www & echo $! > /run/httpd.pid',
  'echo checks-appliance up',
  'while :; do wait; sleep 3600 & wait $!; done',
].join('\n');

/** Asks one of the appliance's CGI scripts; the answer may never come when the script stops httpd. */
export const poke = (address: string, script: 'break' | 'stop'): Promise<string> =>
  fetch(`http://${address}/cgi-bin/${script}`, { signal: AbortSignal.timeout(3000) })
    .then((r) => r.text())
    .catch(() => '');
