; Fleetyard's KVM probe (see accel.ts, which holds the assembled bytes: nasm -f bin kvm-probe.asm).
; Real mode -> paging -> long mode as a kernel's start-up does, then cpuid, rdtsc and a locked
; cmpxchg16b on the live page table (a virtualised KVM whose emulator cannot do that stops the
; guest there), then 0x31 to isa-debug-exit: QEMU exits with (0x31 << 1) | 1 = 0x63.
bits 16
org 0x7c00
start:
  cli
  xor ax, ax
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov sp, 0x7c00
  mov di, 0x1000          ; PML4 at 0x1000, PDPT at 0x2000, PD at 0x3000
  mov cx, 0x1800
  rep stosw
  mov dword [0x1000], 0x2003
  mov dword [0x2000], 0x3003
  mov dword [0x3000], 0x0083  ; one 2 MiB identity page
  lgdt [gdt_desc]
  mov eax, 0xa0           ; CR4.PAE | CR4.PGE
  mov cr4, eax
  mov eax, 0x1000
  mov cr3, eax
  mov ecx, 0xc0000080     ; EFER
  rdmsr
  or eax, 0x100           ; EFER.LME
  wrmsr
  mov eax, cr0
  or eax, 0x80000001      ; CR0.PG | CR0.PE
  mov cr0, eax
  jmp 0x08:long_mode
bits 64
long_mode:
  mov ax, 0x10
  mov ds, ax
  mov ss, ax
  mov eax, 1
  cpuid
  rdtsc
  xor eax, eax
  xor edx, edx
  xor ebx, ebx
  xor ecx, ecx
  lock cmpxchg16b [0x1010]   ; an unused entry of the live PML4, as a kernel updates page tables
  mov al, 0x31
  out 0xf4, al
halt:
  hlt
  jmp halt
align 8
gdt:
  dq 0
  dq 0x00209a0000000000
  dq 0x0000920000000000
gdt_desc:
  dw gdt_desc - gdt - 1
  dd gdt
times 510-($-$$) db 0
dw 0xaa55
