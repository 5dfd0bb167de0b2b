#!/usr/bin/env bash
# Installs what Fleetyard needs and is missing, and says what it installs:
#   - npm dependencies (npm ci from the committed lockfile) when node_modules is absent or stale;
#   - host packages for the container driver (runc, busybox-static, iproute2, ethtool, tar), the
#     appliances' bridge port filters (nftables, for the container and qemu drivers alike), the
#     base image's SSH server (dropbear-bin) and the qemu driver and its disks (qemu-system-x86,
#     qemu-utils, e2fsprogs), the physical driver (ipmitool, dnsmasq-base, ipxe, curl) and its
#     simulated BMC (openipmi), fencing a failed host through its BMC (fence-agents:
#     fence_ipmilan), for the tests a C compiler with a static libc (gcc, libc6-dev:
#     the frame tool of test/support/l2-tool.ts), openssl (certificates of the secure NATS
#     test), prometheus (the monitoring test's real Prometheus), bind9 and bind9-dnsutils (the
#     DNS tests' real server and resolver), ansible (configuration groups' playbooks) and
#     cloud-init (checks the VMs' NoCloud seeds), dosfstools and mtools (the qemu driver's NoCloud
#     seed volume), with apt-get, only when
#     running as root on Debian/Ubuntu.
# Idempotent and non-interactive: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_npm=0
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ]; then
  need_npm=1
elif [ package-lock.json -nt node_modules/.package-lock.json ]; then
  need_npm=1
fi
if [ "$need_npm" -eq 1 ]; then
  echo "install-deps: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "install-deps: npm dependencies present"
fi

missing=()
command -v runc >/dev/null 2>&1 || missing+=(runc)
[ -x /bin/busybox ] || command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v ethtool >/dev/null 2>&1 || missing+=(ethtool)
# Every appliance's bridge port may send only from its own MAC and address (src/network/port-filter.ts).
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || missing+=(nftables)
command -v tar >/dev/null 2>&1 || missing+=(tar)
command -v setfattr >/dev/null 2>&1 || missing+=(attr)
command -v mkfs.ext4 >/dev/null 2>&1 || missing+=(e2fsprogs)
command -v qemu-img >/dev/null 2>&1 || missing+=(qemu-utils)
# The base image copies dropbear in so appliances can honour a user's login over SSH.
[ -x /usr/sbin/dropbear ] || command -v dropbear >/dev/null 2>&1 || missing+=(dropbear-bin)
# The qemu driver runs QEMU; its disks need qemu-img (O(1) qcow2 clones) and mkfs.ext4 (above).
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
# The physical driver: ipmitool (BMC power), dnsmasq-base (DHCP + TFTP), ipxe (undionly.kpxe and
# ipxe.efi for PXE firmware that is not iPXE), curl (is the booted machine up?); its tests also
# need openipmi (ipmi_sim, a simulated BMC).
command -v ipmitool >/dev/null 2>&1 || missing+=(ipmitool)
command -v dnsmasq >/dev/null 2>&1 || missing+=(dnsmasq-base)
[ -f /usr/lib/ipxe/undionly.kpxe ] || missing+=(ipxe)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v ipmi_sim >/dev/null 2>&1 || missing+=(openipmi)
# Fencing a failed host through its BMC (FLEETYARD_FENCING=fence_ipmilan, the HA tests, the bench).
command -v fence_ipmilan >/dev/null 2>&1 || [ -x /usr/sbin/fence_ipmilan ] || missing+=(fence-agents)
# The network isolation tests forge and capture frames with a small static C program.
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
[ -f "$(gcc -print-file-name=libc.a 2>/dev/null || echo /nonexistent)" ] || missing+=(libc6-dev)
# Agents run appliance health checks with the standard Nagios plugins (check_tcp, check_http,
# check_ping); the Nagios export is validated with nagios4 -v.
[ -x /usr/lib/nagios/plugins/check_http ] || missing+=(monitoring-plugins-basic)
command -v nagios4 >/dev/null 2>&1 || [ -x /usr/sbin/nagios4 ] || missing+=(nagios4)
# The secure NATS test makes its CA and certificates with openssl.
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# The monitoring test runs a real Prometheus against the service discovery (on loopback only).
command -v prometheus >/dev/null 2>&1 || [ -x /usr/bin/prometheus ] || missing+=(prometheus)
# DNS for every appliance: the embedded backend runs dnsmasq (above); the tests run a real BIND 9
# (bind9) for RFC 2136 updates and resolve every name with dig (bind9-dnsutils).
command -v named >/dev/null 2>&1 || [ -x /usr/sbin/named ] || missing+=(bind9)
command -v dig >/dev/null 2>&1 || missing+=(bind9-dnsutils)
# Configuration management: configuration groups' playbooks run with ansible-playbook (ansible);
# the VMs' NoCloud seeds are checked with `cloud-init schema` (cloud-init).
command -v ansible-playbook >/dev/null 2>&1 || missing+=(ansible)
command -v cloud-init >/dev/null 2>&1 || missing+=(cloud-init)
# A VM's NoCloud seed is a small FAT volume labelled CIDATA (src/drivers/qemu/cidata.ts): made by
# mkfs.vfat (dosfstools), filled by mcopy without mounting (mtools; mdir/mtype read it in tests).
command -v mkfs.vfat >/dev/null 2>&1 || [ -x /usr/sbin/mkfs.vfat ] || [ -x /sbin/mkfs.vfat ] || missing+=(dosfstools)
command -v mcopy >/dev/null 2>&1 || missing+=(mtools)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: installing host packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "install-deps: missing host packages: ${missing[*]} (run as root on Debian/Ubuntu to install them)" >&2
    echo "install-deps: the drivers that need them stay unavailable until they are installed" >&2
  fi
else
  echo "install-deps: host packages present (runc, busybox-static, iproute2, ethtool, nftables, tar, dropbear-bin," \
    "qemu-system-x86, qemu-utils, e2fsprogs, ipmitool, dnsmasq-base, ipxe, curl, openipmi, fence-agents, gcc, libc6-dev, openssl," \
    "prometheus, monitoring-plugins-basic, nagios4, bind9, bind9-dnsutils, ansible, cloud-init," \
    "dosfstools, mtools)"
fi
