// Generated from /openapi.json by `node --import tsx scripts/api-types.ts`; do not edit.
export interface paths {
    "/api/v1/appliances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List appliances */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    hostId?: string;
                    imageId?: string;
                    limit?: number;
                    name?: string;
                    phase?: string;
                    /** @description Where it runs or last ran, else the type it asks for */
                    virtualization?: "container" | "qemu" | "physical" | "sim";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                deletionRequestedAt: string | null;
                                finalizers: string[];
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    checks?: {
                                        command?: string[];
                                        critical?: string;
                                        expectStatus?: number;
                                        intervalSeconds?: number;
                                        /** @enum {string} */
                                        kind: "tcp" | "http" | "ping" | "command";
                                        maxCheckAttempts?: number;
                                        name: string;
                                        path?: string;
                                        port?: number;
                                        retryIntervalSeconds?: number;
                                        warning?: string;
                                    }[];
                                    command: string[] | null;
                                    configGroups?: string[];
                                    /** @enum {string} */
                                    desiredState: "running" | "stopped";
                                    ha: boolean;
                                    hostname: string;
                                    imageId: string;
                                    kernelId: string | null;
                                    labels: {
                                        [key: string]: string;
                                    };
                                    login: {
                                        passwordSealed: string | null;
                                        sshPublicKey: string | null;
                                        user: string;
                                    } | null;
                                    moreNetworks?: string[];
                                    move?: {
                                        id: string;
                                        requestedAt: string;
                                        /** @enum {string} */
                                        to: "container" | "qemu" | "physical" | "sim";
                                    } | null;
                                    network: string;
                                    ownerId: string | null;
                                    placement?: {
                                        antiAffinity: string | null;
                                        hostLabels: {
                                            [key: string]: string;
                                        };
                                        policy?: ("spread" | "pack" | "energy-aware") | null;
                                    };
                                    requirements: {
                                        cpu: number;
                                        diskMiB: number;
                                        memoryMiB: number;
                                        pids: number;
                                        virtualization: ("container" | "qemu" | "physical" | "sim") | "any";
                                    };
                                    reservation: {
                                        hostId: string;
                                        id: string;
                                    } | null;
                                    restart?: {
                                        elsewhere: boolean;
                                        id: string;
                                        reason: string;
                                        requestedAt: string;
                                    } | null;
                                };
                                status: {
                                    address: string | null;
                                    address6?: string | null;
                                    config?: {
                                        at: string;
                                        changed: number;
                                        failed: number;
                                        group: string;
                                        message: string;
                                        ok: number;
                                        revision: number;
                                        /** @enum {string} */
                                        state: "applied" | "failed";
                                    }[];
                                    handle: {
                                        [key: string]: unknown;
                                    };
                                    hostEpoch?: number;
                                    hostId: string | null;
                                    lastMove?: {
                                        from: ("container" | "qemu" | "physical" | "sim") | null;
                                        id: string;
                                        /** @enum {string} */
                                        outcome: "moved" | "rolled-back" | "rollback-failed";
                                        reason: string | null;
                                        /** @enum {string} */
                                        to: "container" | "qemu" | "physical" | "sim";
                                    } | null;
                                    lastRestart?: {
                                        at: string;
                                        elsewhere: boolean;
                                        fromHostId: string | null;
                                        hostId: string | null;
                                        id: string;
                                        /** @enum {string} */
                                        outcome: "restarted" | "relocated" | "stayed";
                                        reason: string;
                                    } | null;
                                    message: string | null;
                                    moreAddresses?: string[];
                                    moreAddresses6?: (string | null)[];
                                    observedGeneration: number;
                                    /** @enum {string} */
                                    phase: "pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost";
                                    resourceId: string | null;
                                    restarts?: {
                                        at: string;
                                        elsewhere: boolean;
                                    }[];
                                    retry?: {
                                        attempts: number;
                                        deleting: boolean;
                                        generation: number;
                                        lastError: string;
                                        nextAttemptAt: string | null;
                                        waitingFor: ("kernel" | "resource") | null;
                                    } | null;
                                    startedAt: string | null;
                                    virtualization: ("container" | "qemu" | "physical" | "sim") | null;
                                };
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create an appliance (and start it unless start is false) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Health checks the agent of its host runs (see PUT /appliances/{id}/checks) */
                        checks?: {
                            command?: string[];
                            critical?: string;
                            expectStatus?: number;
                            intervalSeconds?: number;
                            /** @enum {string} */
                            kind: "tcp" | "http" | "ping" | "command";
                            maxCheckAttempts?: number;
                            name: string;
                            path?: string;
                            port?: number;
                            retryIntervalSeconds?: number;
                            warning?: string;
                        }[];
                        command?: string[] | null;
                        /** @description Configuration groups applied after it boots, in order */
                        configGroups?: string[];
                        ha?: boolean;
                        hostname?: string;
                        imageId: string;
                        kernelId?: string | null;
                        labels?: {
                            [key: string]: string;
                        };
                        /** @description Further networks, one interface each after the first (eth1, eth2, … in order); each must exist, once, and not be the first. The first network is the default route. */
                        moreNetworks?: string[];
                        name: string;
                        network?: string;
                        /** @description The user it belongs to (default: the caller) */
                        ownerId?: string;
                        /** @description Where it may run: host labels, an anti-affinity group and a ranking policy, honoured by every placement and failover */
                        placement?: {
                            /** @description Anti-affinity group: no two of the owner's appliances in it share a host */
                            antiAffinity?: string | null;
                            /** @description Labels the host must carry, each with this value (fleetyard host label) */
                            hostLabels?: {
                                [key: string]: string;
                            };
                            /** @description How the hosts that fit are ranked: spread, pack or energy-aware; absent: the installation's */
                            policy?: ("spread" | "pack" | "energy-aware") | null;
                        };
                        requirements?: {
                            cpu?: number;
                            diskMiB?: number;
                            memoryMiB?: number;
                            pids?: number;
                            virtualization?: ("container" | "qemu" | "physical" | "sim") | "any";
                        };
                        /** @description Start at once (default true) */
                        start?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            deletionRequestedAt: string | null;
                            finalizers: string[];
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                checks?: {
                                    command?: string[];
                                    critical?: string;
                                    expectStatus?: number;
                                    intervalSeconds?: number;
                                    /** @enum {string} */
                                    kind: "tcp" | "http" | "ping" | "command";
                                    maxCheckAttempts?: number;
                                    name: string;
                                    path?: string;
                                    port?: number;
                                    retryIntervalSeconds?: number;
                                    warning?: string;
                                }[];
                                command: string[] | null;
                                configGroups?: string[];
                                /** @enum {string} */
                                desiredState: "running" | "stopped";
                                ha: boolean;
                                hostname: string;
                                imageId: string;
                                kernelId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                login: {
                                    passwordSealed: string | null;
                                    sshPublicKey: string | null;
                                    user: string;
                                } | null;
                                moreNetworks?: string[];
                                move?: {
                                    id: string;
                                    requestedAt: string;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                network: string;
                                ownerId: string | null;
                                placement?: {
                                    antiAffinity: string | null;
                                    hostLabels: {
                                        [key: string]: string;
                                    };
                                    policy?: ("spread" | "pack" | "energy-aware") | null;
                                };
                                requirements: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                    pids: number;
                                    virtualization: ("container" | "qemu" | "physical" | "sim") | "any";
                                };
                                reservation: {
                                    hostId: string;
                                    id: string;
                                } | null;
                                restart?: {
                                    elsewhere: boolean;
                                    id: string;
                                    reason: string;
                                    requestedAt: string;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                address6?: string | null;
                                config?: {
                                    at: string;
                                    changed: number;
                                    failed: number;
                                    group: string;
                                    message: string;
                                    ok: number;
                                    revision: number;
                                    /** @enum {string} */
                                    state: "applied" | "failed";
                                }[];
                                handle: {
                                    [key: string]: unknown;
                                };
                                hostEpoch?: number;
                                hostId: string | null;
                                lastMove?: {
                                    from: ("container" | "qemu" | "physical" | "sim") | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "moved" | "rolled-back" | "rollback-failed";
                                    reason: string | null;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                lastRestart?: {
                                    at: string;
                                    elsewhere: boolean;
                                    fromHostId: string | null;
                                    hostId: string | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "restarted" | "relocated" | "stayed";
                                    reason: string;
                                } | null;
                                message: string | null;
                                moreAddresses?: string[];
                                moreAddresses6?: (string | null)[];
                                observedGeneration: number;
                                /** @enum {string} */
                                phase: "pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost";
                                resourceId: string | null;
                                restarts?: {
                                    at: string;
                                    elsewhere: boolean;
                                }[];
                                retry?: {
                                    attempts: number;
                                    deleting: boolean;
                                    generation: number;
                                    lastError: string;
                                    nextAttemptAt: string | null;
                                    waitingFor: ("kernel" | "resource") | null;
                                } | null;
                                startedAt: string | null;
                                virtualization: ("container" | "qemu" | "physical" | "sim") | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appliances/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show an appliance */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            deletionRequestedAt: string | null;
                            finalizers: string[];
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                checks?: {
                                    command?: string[];
                                    critical?: string;
                                    expectStatus?: number;
                                    intervalSeconds?: number;
                                    /** @enum {string} */
                                    kind: "tcp" | "http" | "ping" | "command";
                                    maxCheckAttempts?: number;
                                    name: string;
                                    path?: string;
                                    port?: number;
                                    retryIntervalSeconds?: number;
                                    warning?: string;
                                }[];
                                command: string[] | null;
                                configGroups?: string[];
                                /** @enum {string} */
                                desiredState: "running" | "stopped";
                                ha: boolean;
                                hostname: string;
                                imageId: string;
                                kernelId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                login: {
                                    passwordSealed: string | null;
                                    sshPublicKey: string | null;
                                    user: string;
                                } | null;
                                moreNetworks?: string[];
                                move?: {
                                    id: string;
                                    requestedAt: string;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                network: string;
                                ownerId: string | null;
                                placement?: {
                                    antiAffinity: string | null;
                                    hostLabels: {
                                        [key: string]: string;
                                    };
                                    policy?: ("spread" | "pack" | "energy-aware") | null;
                                };
                                requirements: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                    pids: number;
                                    virtualization: ("container" | "qemu" | "physical" | "sim") | "any";
                                };
                                reservation: {
                                    hostId: string;
                                    id: string;
                                } | null;
                                restart?: {
                                    elsewhere: boolean;
                                    id: string;
                                    reason: string;
                                    requestedAt: string;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                address6?: string | null;
                                config?: {
                                    at: string;
                                    changed: number;
                                    failed: number;
                                    group: string;
                                    message: string;
                                    ok: number;
                                    revision: number;
                                    /** @enum {string} */
                                    state: "applied" | "failed";
                                }[];
                                handle: {
                                    [key: string]: unknown;
                                };
                                hostEpoch?: number;
                                hostId: string | null;
                                lastMove?: {
                                    from: ("container" | "qemu" | "physical" | "sim") | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "moved" | "rolled-back" | "rollback-failed";
                                    reason: string | null;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                lastRestart?: {
                                    at: string;
                                    elsewhere: boolean;
                                    fromHostId: string | null;
                                    hostId: string | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "restarted" | "relocated" | "stayed";
                                    reason: string;
                                } | null;
                                message: string | null;
                                moreAddresses?: string[];
                                moreAddresses6?: (string | null)[];
                                observedGeneration: number;
                                /** @enum {string} */
                                phase: "pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost";
                                resourceId: string | null;
                                restarts?: {
                                    at: string;
                                    elsewhere: boolean;
                                }[];
                                retry?: {
                                    attempts: number;
                                    deleting: boolean;
                                    generation: number;
                                    lastError: string;
                                    nextAttemptAt: string | null;
                                    waitingFor: ("kernel" | "resource") | null;
                                } | null;
                                startedAt: string | null;
                                virtualization: ("container" | "qemu" | "physical" | "sim") | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an appliance (releases its runtime, clone and address, then the object goes) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            deletionRequestedAt: string | null;
                            finalizers: string[];
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                checks?: {
                                    command?: string[];
                                    critical?: string;
                                    expectStatus?: number;
                                    intervalSeconds?: number;
                                    /** @enum {string} */
                                    kind: "tcp" | "http" | "ping" | "command";
                                    maxCheckAttempts?: number;
                                    name: string;
                                    path?: string;
                                    port?: number;
                                    retryIntervalSeconds?: number;
                                    warning?: string;
                                }[];
                                command: string[] | null;
                                configGroups?: string[];
                                /** @enum {string} */
                                desiredState: "running" | "stopped";
                                ha: boolean;
                                hostname: string;
                                imageId: string;
                                kernelId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                login: {
                                    passwordSealed: string | null;
                                    sshPublicKey: string | null;
                                    user: string;
                                } | null;
                                moreNetworks?: string[];
                                move?: {
                                    id: string;
                                    requestedAt: string;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                network: string;
                                ownerId: string | null;
                                placement?: {
                                    antiAffinity: string | null;
                                    hostLabels: {
                                        [key: string]: string;
                                    };
                                    policy?: ("spread" | "pack" | "energy-aware") | null;
                                };
                                requirements: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                    pids: number;
                                    virtualization: ("container" | "qemu" | "physical" | "sim") | "any";
                                };
                                reservation: {
                                    hostId: string;
                                    id: string;
                                } | null;
                                restart?: {
                                    elsewhere: boolean;
                                    id: string;
                                    reason: string;
                                    requestedAt: string;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                address6?: string | null;
                                config?: {
                                    at: string;
                                    changed: number;
                                    failed: number;
                                    group: string;
                                    message: string;
                                    ok: number;
                                    revision: number;
                                    /** @enum {string} */
                                    state: "applied" | "failed";
                                }[];
                                handle: {
                                    [key: string]: unknown;
                                };
                                hostEpoch?: number;
                                hostId: string | null;
                                lastMove?: {
                                    from: ("container" | "qemu" | "physical" | "sim") | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "moved" | "rolled-back" | "rollback-failed";
                                    reason: string | null;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                lastRestart?: {
                                    at: string;
                                    elsewhere: boolean;
                                    fromHostId: string | null;
                                    hostId: string | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "restarted" | "relocated" | "stayed";
                                    reason: string;
                                } | null;
                                message: string | null;
                                moreAddresses?: string[];
                                moreAddresses6?: (string | null)[];
                                observedGeneration: number;
                                /** @enum {string} */
                                phase: "pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost";
                                resourceId: string | null;
                                restarts?: {
                                    at: string;
                                    elsewhere: boolean;
                                }[];
                                retry?: {
                                    attempts: number;
                                    deleting: boolean;
                                    generation: number;
                                    lastError: string;
                                    nextAttemptAt: string | null;
                                    waitingFor: ("kernel" | "resource") | null;
                                } | null;
                                startedAt: string | null;
                                virtualization: ("container" | "qemu" | "physical" | "sim") | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appliances/{id}/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An appliance's health checks and their latest results */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The checks the appliance has (spec.checks) */
                            checks: {
                                command?: string[];
                                critical?: string;
                                expectStatus?: number;
                                intervalSeconds?: number;
                                /** @enum {string} */
                                kind: "tcp" | "http" | "ping" | "command";
                                maxCheckAttempts?: number;
                                name: string;
                                path?: string;
                                port?: number;
                                retryIntervalSeconds?: number;
                                warning?: string;
                            }[];
                            /** @description The latest result of each check that has run on its current or last host */
                            results: {
                                applianceId: string;
                                attempt: number;
                                changedAt: string;
                                check: string;
                                checkedAt: string;
                                maxCheckAttempts: number;
                                output: string;
                                perfdata: {
                                    crit: string | null;
                                    label: string;
                                    max: number | null;
                                    min: number | null;
                                    uom: string;
                                    value: number;
                                    warn: string | null;
                                }[];
                                /** @enum {string} */
                                state: "OK" | "WARNING" | "CRITICAL" | "UNKNOWN";
                                /** @enum {string} */
                                type: "SOFT" | "HARD";
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Set an appliance's health checks (run by the agent of its host; the command kind is for admins) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "checks": [
                     *         {
                     *           "name": "web",
                     *           "kind": "http",
                     *           "port": 80,
                     *           "path": "/",
                     *           "expectStatus": 200,
                     *           "intervalSeconds": 30,
                     *           "retryIntervalSeconds": 5,
                     *           "maxCheckAttempts": 3
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        checks: {
                            command?: string[];
                            critical?: string;
                            expectStatus?: number;
                            intervalSeconds?: number;
                            /** @enum {string} */
                            kind: "tcp" | "http" | "ping" | "command";
                            maxCheckAttempts?: number;
                            name: string;
                            path?: string;
                            port?: number;
                            retryIntervalSeconds?: number;
                            warning?: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            deletionRequestedAt: string | null;
                            finalizers: string[];
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                checks?: {
                                    command?: string[];
                                    critical?: string;
                                    expectStatus?: number;
                                    intervalSeconds?: number;
                                    /** @enum {string} */
                                    kind: "tcp" | "http" | "ping" | "command";
                                    maxCheckAttempts?: number;
                                    name: string;
                                    path?: string;
                                    port?: number;
                                    retryIntervalSeconds?: number;
                                    warning?: string;
                                }[];
                                command: string[] | null;
                                configGroups?: string[];
                                /** @enum {string} */
                                desiredState: "running" | "stopped";
                                ha: boolean;
                                hostname: string;
                                imageId: string;
                                kernelId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                login: {
                                    passwordSealed: string | null;
                                    sshPublicKey: string | null;
                                    user: string;
                                } | null;
                                moreNetworks?: string[];
                                move?: {
                                    id: string;
                                    requestedAt: string;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                network: string;
                                ownerId: string | null;
                                placement?: {
                                    antiAffinity: string | null;
                                    hostLabels: {
                                        [key: string]: string;
                                    };
                                    policy?: ("spread" | "pack" | "energy-aware") | null;
                                };
                                requirements: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                    pids: number;
                                    virtualization: ("container" | "qemu" | "physical" | "sim") | "any";
                                };
                                reservation: {
                                    hostId: string;
                                    id: string;
                                } | null;
                                restart?: {
                                    elsewhere: boolean;
                                    id: string;
                                    reason: string;
                                    requestedAt: string;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                address6?: string | null;
                                config?: {
                                    at: string;
                                    changed: number;
                                    failed: number;
                                    group: string;
                                    message: string;
                                    ok: number;
                                    revision: number;
                                    /** @enum {string} */
                                    state: "applied" | "failed";
                                }[];
                                handle: {
                                    [key: string]: unknown;
                                };
                                hostEpoch?: number;
                                hostId: string | null;
                                lastMove?: {
                                    from: ("container" | "qemu" | "physical" | "sim") | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "moved" | "rolled-back" | "rollback-failed";
                                    reason: string | null;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                lastRestart?: {
                                    at: string;
                                    elsewhere: boolean;
                                    fromHostId: string | null;
                                    hostId: string | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "restarted" | "relocated" | "stayed";
                                    reason: string;
                                } | null;
                                message: string | null;
                                moreAddresses?: string[];
                                moreAddresses6?: (string | null)[];
                                observedGeneration: number;
                                /** @enum {string} */
                                phase: "pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost";
                                resourceId: string | null;
                                restarts?: {
                                    at: string;
                                    elsewhere: boolean;
                                }[];
                                retry?: {
                                    attempts: number;
                                    deleting: boolean;
                                    generation: number;
                                    lastError: string;
                                    nextAttemptAt: string | null;
                                    waitingFor: ("kernel" | "resource") | null;
                                } | null;
                                startedAt: string | null;
                                virtualization: ("container" | "qemu" | "physical" | "sim") | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appliances/{id}/configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What an appliance's configuration groups make of it: its Puppet ENC document and its NoCloud seed (admin) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The certname its Puppet agent is best given: its fqdn, else its hostname */
                            certname: string;
                            cloudInit: {
                                metaData: string;
                                /** @description Version 2; a boot matches each interface by its MAC, which this view leaves out */
                                networkConfig: string;
                                /** @description #cloud-config, as a VM boot gets it, with a placeholder for the password hash */
                                userData: string;
                            };
                            /** @description What GET /config/puppet/enc/{certname} answers for it (as JSON here) */
                            enc: {
                                classes: {
                                    [key: string]: {
                                        [key: string]: unknown;
                                    };
                                };
                                environment: string;
                                parameters: {
                                    [key: string]: unknown;
                                };
                            };
                            /** @description Its configuration groups that exist, in its order */
                            groups: string[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appliances/{id}/dns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An appliance's DNS records (A, AAAA, PTR) on each of its networks */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            networks: {
                                /** @description The network's DNS backend; null: no DNS */
                                backend: ("embedded" | "rfc2136") | null;
                                network: string;
                                zone: string | null;
                            }[];
                            /** @description The records the appliance has on its networks (none until it has an address) */
                            records: {
                                applianceId: string;
                                /** @description Fully qualified, without the trailing dot */
                                name: string;
                                network: string;
                                /** @enum {string} */
                                type: "A" | "AAAA" | "PTR";
                                /** @description An address (A, AAAA) or the name it points back to (PTR) */
                                value: string;
                                /** @description The zone that holds it: the network's, or for PTR the reverse zone of its prefix */
                                zone: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appliances/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Console output of an appliance: the last bytes, or from an offset on
         * @description Plain text. The headers fy-console-start and fy-console-end say which bytes of the whole console the body holds, fy-console-size how big it was. A reader following the console asks again with from=<fy-console-end>; an answer whose fy-console-start is below the from it asked for means the console began anew (the appliance restarted), so the reader starts over. An appliance that is not placed has no console: an empty body with all three at 0.
         */
        get: {
            parameters: {
                query?: {
                    /** @description How many bytes at most (default 65536) */
                    bytes?: number;
                    /** @description Read from this byte offset on instead of the last bytes: what a reader following the console asks next (the fy-console-end of its last read) */
                    from?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appliances/{id}/move": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move an appliance to another virtualization type with its data, address and name (rolled back if the target fails to boot) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "to": "qemu"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        to: "container" | "qemu" | "physical" | "sim";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            deletionRequestedAt: string | null;
                            finalizers: string[];
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                checks?: {
                                    command?: string[];
                                    critical?: string;
                                    expectStatus?: number;
                                    intervalSeconds?: number;
                                    /** @enum {string} */
                                    kind: "tcp" | "http" | "ping" | "command";
                                    maxCheckAttempts?: number;
                                    name: string;
                                    path?: string;
                                    port?: number;
                                    retryIntervalSeconds?: number;
                                    warning?: string;
                                }[];
                                command: string[] | null;
                                configGroups?: string[];
                                /** @enum {string} */
                                desiredState: "running" | "stopped";
                                ha: boolean;
                                hostname: string;
                                imageId: string;
                                kernelId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                login: {
                                    passwordSealed: string | null;
                                    sshPublicKey: string | null;
                                    user: string;
                                } | null;
                                moreNetworks?: string[];
                                move?: {
                                    id: string;
                                    requestedAt: string;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                network: string;
                                ownerId: string | null;
                                placement?: {
                                    antiAffinity: string | null;
                                    hostLabels: {
                                        [key: string]: string;
                                    };
                                    policy?: ("spread" | "pack" | "energy-aware") | null;
                                };
                                requirements: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                    pids: number;
                                    virtualization: ("container" | "qemu" | "physical" | "sim") | "any";
                                };
                                reservation: {
                                    hostId: string;
                                    id: string;
                                } | null;
                                restart?: {
                                    elsewhere: boolean;
                                    id: string;
                                    reason: string;
                                    requestedAt: string;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                address6?: string | null;
                                config?: {
                                    at: string;
                                    changed: number;
                                    failed: number;
                                    group: string;
                                    message: string;
                                    ok: number;
                                    revision: number;
                                    /** @enum {string} */
                                    state: "applied" | "failed";
                                }[];
                                handle: {
                                    [key: string]: unknown;
                                };
                                hostEpoch?: number;
                                hostId: string | null;
                                lastMove?: {
                                    from: ("container" | "qemu" | "physical" | "sim") | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "moved" | "rolled-back" | "rollback-failed";
                                    reason: string | null;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                lastRestart?: {
                                    at: string;
                                    elsewhere: boolean;
                                    fromHostId: string | null;
                                    hostId: string | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "restarted" | "relocated" | "stayed";
                                    reason: string;
                                } | null;
                                message: string | null;
                                moreAddresses?: string[];
                                moreAddresses6?: (string | null)[];
                                observedGeneration: number;
                                /** @enum {string} */
                                phase: "pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost";
                                resourceId: string | null;
                                restarts?: {
                                    at: string;
                                    elsewhere: boolean;
                                }[];
                                retry?: {
                                    attempts: number;
                                    deleting: boolean;
                                    generation: number;
                                    lastError: string;
                                    nextAttemptAt: string | null;
                                    waitingFor: ("kernel" | "resource") | null;
                                } | null;
                                startedAt: string | null;
                                virtualization: ("container" | "qemu" | "physical" | "sim") | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appliances/{id}/placement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Explain where the scheduler would place an appliance now, host by host (admin) */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            candidates: number;
                            fits: boolean;
                            /** @description Where it would go: one host, or one per unit of a request */
                            hostIds: string[];
                            /** @description Each host’s verdict, candidates best first, then the rejected; at most `limit` */
                            hosts: {
                                host: string;
                                hostId: string;
                                reason: string | null;
                                /** @description The filter that rejected the host, in pipeline order; null: a candidate */
                                rejectedBy: ("host" | "live" | "avoided" | "labels" | "anti-affinity" | "virtualization" | "physical-server" | "capacity") | null;
                                /** @description The candidate's score under the policy, higher is better */
                                score: number | null;
                                virtualization: ("container" | "qemu" | "physical" | "sim") | null;
                            }[];
                            /** @enum {string} */
                            policy: "spread" | "pack" | "energy-aware";
                            /** @description Why nothing fits, in one sentence (what a pending appliance or a refused request says) */
                            reason: string | null;
                            /** @description How many hosts each filter rejected */
                            rejected: {
                                [key: string]: number;
                            };
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appliances/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start an appliance */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            deletionRequestedAt: string | null;
                            finalizers: string[];
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                checks?: {
                                    command?: string[];
                                    critical?: string;
                                    expectStatus?: number;
                                    intervalSeconds?: number;
                                    /** @enum {string} */
                                    kind: "tcp" | "http" | "ping" | "command";
                                    maxCheckAttempts?: number;
                                    name: string;
                                    path?: string;
                                    port?: number;
                                    retryIntervalSeconds?: number;
                                    warning?: string;
                                }[];
                                command: string[] | null;
                                configGroups?: string[];
                                /** @enum {string} */
                                desiredState: "running" | "stopped";
                                ha: boolean;
                                hostname: string;
                                imageId: string;
                                kernelId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                login: {
                                    passwordSealed: string | null;
                                    sshPublicKey: string | null;
                                    user: string;
                                } | null;
                                moreNetworks?: string[];
                                move?: {
                                    id: string;
                                    requestedAt: string;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                network: string;
                                ownerId: string | null;
                                placement?: {
                                    antiAffinity: string | null;
                                    hostLabels: {
                                        [key: string]: string;
                                    };
                                    policy?: ("spread" | "pack" | "energy-aware") | null;
                                };
                                requirements: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                    pids: number;
                                    virtualization: ("container" | "qemu" | "physical" | "sim") | "any";
                                };
                                reservation: {
                                    hostId: string;
                                    id: string;
                                } | null;
                                restart?: {
                                    elsewhere: boolean;
                                    id: string;
                                    reason: string;
                                    requestedAt: string;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                address6?: string | null;
                                config?: {
                                    at: string;
                                    changed: number;
                                    failed: number;
                                    group: string;
                                    message: string;
                                    ok: number;
                                    revision: number;
                                    /** @enum {string} */
                                    state: "applied" | "failed";
                                }[];
                                handle: {
                                    [key: string]: unknown;
                                };
                                hostEpoch?: number;
                                hostId: string | null;
                                lastMove?: {
                                    from: ("container" | "qemu" | "physical" | "sim") | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "moved" | "rolled-back" | "rollback-failed";
                                    reason: string | null;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                lastRestart?: {
                                    at: string;
                                    elsewhere: boolean;
                                    fromHostId: string | null;
                                    hostId: string | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "restarted" | "relocated" | "stayed";
                                    reason: string;
                                } | null;
                                message: string | null;
                                moreAddresses?: string[];
                                moreAddresses6?: (string | null)[];
                                observedGeneration: number;
                                /** @enum {string} */
                                phase: "pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost";
                                resourceId: string | null;
                                restarts?: {
                                    at: string;
                                    elsewhere: boolean;
                                }[];
                                retry?: {
                                    attempts: number;
                                    deleting: boolean;
                                    generation: number;
                                    lastError: string;
                                    nextAttemptAt: string | null;
                                    waitingFor: ("kernel" | "resource") | null;
                                } | null;
                                startedAt: string | null;
                                virtualization: ("container" | "qemu" | "physical" | "sim") | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appliances/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop an appliance */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            deletionRequestedAt: string | null;
                            finalizers: string[];
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                checks?: {
                                    command?: string[];
                                    critical?: string;
                                    expectStatus?: number;
                                    intervalSeconds?: number;
                                    /** @enum {string} */
                                    kind: "tcp" | "http" | "ping" | "command";
                                    maxCheckAttempts?: number;
                                    name: string;
                                    path?: string;
                                    port?: number;
                                    retryIntervalSeconds?: number;
                                    warning?: string;
                                }[];
                                command: string[] | null;
                                configGroups?: string[];
                                /** @enum {string} */
                                desiredState: "running" | "stopped";
                                ha: boolean;
                                hostname: string;
                                imageId: string;
                                kernelId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                login: {
                                    passwordSealed: string | null;
                                    sshPublicKey: string | null;
                                    user: string;
                                } | null;
                                moreNetworks?: string[];
                                move?: {
                                    id: string;
                                    requestedAt: string;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                network: string;
                                ownerId: string | null;
                                placement?: {
                                    antiAffinity: string | null;
                                    hostLabels: {
                                        [key: string]: string;
                                    };
                                    policy?: ("spread" | "pack" | "energy-aware") | null;
                                };
                                requirements: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                    pids: number;
                                    virtualization: ("container" | "qemu" | "physical" | "sim") | "any";
                                };
                                reservation: {
                                    hostId: string;
                                    id: string;
                                } | null;
                                restart?: {
                                    elsewhere: boolean;
                                    id: string;
                                    reason: string;
                                    requestedAt: string;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                address6?: string | null;
                                config?: {
                                    at: string;
                                    changed: number;
                                    failed: number;
                                    group: string;
                                    message: string;
                                    ok: number;
                                    revision: number;
                                    /** @enum {string} */
                                    state: "applied" | "failed";
                                }[];
                                handle: {
                                    [key: string]: unknown;
                                };
                                hostEpoch?: number;
                                hostId: string | null;
                                lastMove?: {
                                    from: ("container" | "qemu" | "physical" | "sim") | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "moved" | "rolled-back" | "rollback-failed";
                                    reason: string | null;
                                    /** @enum {string} */
                                    to: "container" | "qemu" | "physical" | "sim";
                                } | null;
                                lastRestart?: {
                                    at: string;
                                    elsewhere: boolean;
                                    fromHostId: string | null;
                                    hostId: string | null;
                                    id: string;
                                    /** @enum {string} */
                                    outcome: "restarted" | "relocated" | "stayed";
                                    reason: string;
                                } | null;
                                message: string | null;
                                moreAddresses?: string[];
                                moreAddresses6?: (string | null)[];
                                observedGeneration: number;
                                /** @enum {string} */
                                phase: "pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost";
                                resourceId: string | null;
                                restarts?: {
                                    at: string;
                                    elsewhere: boolean;
                                }[];
                                retry?: {
                                    attempts: number;
                                    deleting: boolean;
                                    generation: number;
                                    lastError: string;
                                    nextAttemptAt: string | null;
                                    waitingFor: ("kernel" | "resource") | null;
                                } | null;
                                startedAt: string | null;
                                virtualization: ("container" | "qemu" | "physical" | "sim") | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in: sets the session cookie and returns the CSRF token to send with changes */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            csrfToken: string;
                            principal: {
                                groupId: string | null;
                                name: string;
                                /** @enum {string} */
                                role: "admin" | "user";
                                userId: string;
                                /** @enum {string} */
                                via: "token" | "session";
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the web session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the caller is; for a web session also its CSRF token */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            csrfToken: string | null;
                            groupId: string | null;
                            name: string;
                            /** @enum {string} */
                            role: "admin" | "user";
                            userId: string;
                            /** @enum {string} */
                            via: "token" | "session";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ccu/balance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your balance, burn rate and how long it lasts (admin: anyone's) */
        get: {
            parameters: {
                query?: {
                    /** @description Admin only: whose figures; yourself when absent */
                    userId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The balance in that currency, in its minor unit */
                            amount: string;
                            /** @description CCU as an exact decimal with three places, e.g. "12.345" */
                            balanceCcu: string;
                            /** @description Posted balance in milli-CCU (the ledger sum) */
                            balanceMilli: number;
                            /** @description CCU as an exact decimal with three places, e.g. "12.345" */
                            burnCcuPerHour: string;
                            burnMilliPerHour: number;
                            /** @description ISO 4217 code of the price list */
                            currency: string;
                            /** @description When the credit runs out at the current burn; null if nothing burns */
                            lastsUntil: string | null;
                            priceListVersion: number;
                            /** @description Run up by open meters since the last posting; debited at the next */
                            unpostedMilli: number;
                            userId: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ccu/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Grant credit to a user (admin) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        ccu: number;
                        /** @description Send the same key when retrying: the grant is made once */
                        idempotencyKey?: string;
                        note: string;
                        userId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CCU as an exact decimal with three places, e.g. "12.345" */
                            balanceCcu: string;
                            balanceMilli: number;
                            created: boolean;
                            entry: {
                                /** @description CCU as an exact decimal with three places, e.g. "12.345" */
                                amountCcu: string;
                                amountMilli: number;
                                createdAt: string;
                                id: string;
                                /** @enum {string} */
                                kind: "grant" | "debit" | "adjustment";
                                note: string;
                                /** @description For a debit: the usage that explains it */
                                usage: {
                                    amountMilli: number;
                                    ccuPerHourMilli: number;
                                    components: {
                                        ccuPerHourMilli: number;
                                        /** @description cpu, memory, disk, ha, network, virtualization:<type> or configGroup:<name> */
                                        component: string;
                                        /** @description Units over all appliances of the request (GiB may be fractional) */
                                        quantity: number;
                                        /** @enum {string} */
                                        unit: "core" | "GiB" | "appliance";
                                    }[];
                                    id: string;
                                    meterId: string;
                                    periodEnd: string;
                                    periodStart: string;
                                    requestId: string;
                                    seconds: number;
                                } | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CCU as an exact decimal with three places, e.g. "12.345" */
                            balanceCcu: string;
                            balanceMilli: number;
                            created: boolean;
                            entry: {
                                /** @description CCU as an exact decimal with three places, e.g. "12.345" */
                                amountCcu: string;
                                amountMilli: number;
                                createdAt: string;
                                id: string;
                                /** @enum {string} */
                                kind: "grant" | "debit" | "adjustment";
                                note: string;
                                /** @description For a debit: the usage that explains it */
                                usage: {
                                    amountMilli: number;
                                    ccuPerHourMilli: number;
                                    components: {
                                        ccuPerHourMilli: number;
                                        /** @description cpu, memory, disk, ha, network, virtualization:<type> or configGroup:<name> */
                                        component: string;
                                        /** @description Units over all appliances of the request (GiB may be fractional) */
                                        quantity: number;
                                        /** @enum {string} */
                                        unit: "core" | "GiB" | "appliance";
                                    }[];
                                    id: string;
                                    meterId: string;
                                    periodEnd: string;
                                    periodStart: string;
                                    requestId: string;
                                    seconds: number;
                                } | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ccu/ledger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your ledger, newest first; each debit with the usage that explains it */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    /** @description Admin only: whose figures; yourself when absent */
                    userId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description CCU as an exact decimal with three places, e.g. "12.345" */
                                amountCcu: string;
                                amountMilli: number;
                                createdAt: string;
                                id: string;
                                /** @enum {string} */
                                kind: "grant" | "debit" | "adjustment";
                                note: string;
                                /** @description For a debit: the usage that explains it */
                                usage: {
                                    amountMilli: number;
                                    ccuPerHourMilli: number;
                                    components: {
                                        ccuPerHourMilli: number;
                                        /** @description cpu, memory, disk, ha, network, virtualization:<type> or configGroup:<name> */
                                        component: string;
                                        /** @description Units over all appliances of the request (GiB may be fractional) */
                                        quantity: number;
                                        /** @enum {string} */
                                        unit: "core" | "GiB" | "appliance";
                                    }[];
                                    id: string;
                                    meterId: string;
                                    periodEnd: string;
                                    periodStart: string;
                                    requestId: string;
                                    seconds: number;
                                } | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ccu/price-list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current price list */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            priceList: {
                                ccuPerHour: {
                                    /** @description CCU per hour per appliance carrying the configuration group, by group name (a group not named here costs nothing) */
                                    configGroups?: {
                                        [key: string]: number;
                                    };
                                    /** @description CCU per hour per CPU core */
                                    cpu: number;
                                    /** @description CCU per hour per GiB of disk */
                                    diskGiB: number;
                                    /** @description CCU per hour per appliance with high availability */
                                    ha: number;
                                    /** @description CCU per hour per GiB of memory */
                                    memoryGiB: number;
                                    /** @description CCU per hour per appliance (its network interface) */
                                    network: number;
                                    /** @description CCU per hour per appliance, by virtualization type */
                                    virtualization: {
                                        container: number;
                                        physical: number;
                                        qemu: number;
                                        sim: number;
                                    };
                                };
                                currency: {
                                    /** @description CCU per currency unit, e.g. 1000 */
                                    ccuPerUnit: number;
                                    code: string;
                                };
                                /** @description Users are warned once when their balance falls below this */
                                lowBalanceCcu: number;
                                /**
                                 * @description Usage is posted per window of this length, aligned to the Unix epoch
                                 * @default 3600
                                 */
                                postingPeriodSeconds: number;
                            };
                            updatedAt: string | null;
                            updatedBy: string | null;
                            /** @description 0 is the built-in default */
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Set the price list (admin); running meters keep their price */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        ccuPerHour: {
                            /** @description CCU per hour per appliance carrying the configuration group, by group name (a group not named here costs nothing) */
                            configGroups?: {
                                [key: string]: number;
                            };
                            /** @description CCU per hour per CPU core */
                            cpu: number;
                            /** @description CCU per hour per GiB of disk */
                            diskGiB: number;
                            /** @description CCU per hour per appliance with high availability */
                            ha: number;
                            /** @description CCU per hour per GiB of memory */
                            memoryGiB: number;
                            /** @description CCU per hour per appliance (its network interface) */
                            network: number;
                            /** @description CCU per hour per appliance, by virtualization type */
                            virtualization: {
                                container: number;
                                physical: number;
                                qemu: number;
                                sim: number;
                            };
                        };
                        currency: {
                            /** @description CCU per currency unit, e.g. 1000 */
                            ccuPerUnit: number;
                            code: string;
                        };
                        /** @description Users are warned once when their balance falls below this */
                        lowBalanceCcu: number;
                        /**
                         * @description Usage is posted per window of this length, aligned to the Unix epoch
                         * @default 3600
                         */
                        postingPeriodSeconds?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            priceList: {
                                ccuPerHour: {
                                    /** @description CCU per hour per appliance carrying the configuration group, by group name (a group not named here costs nothing) */
                                    configGroups?: {
                                        [key: string]: number;
                                    };
                                    /** @description CCU per hour per CPU core */
                                    cpu: number;
                                    /** @description CCU per hour per GiB of disk */
                                    diskGiB: number;
                                    /** @description CCU per hour per appliance with high availability */
                                    ha: number;
                                    /** @description CCU per hour per GiB of memory */
                                    memoryGiB: number;
                                    /** @description CCU per hour per appliance (its network interface) */
                                    network: number;
                                    /** @description CCU per hour per appliance, by virtualization type */
                                    virtualization: {
                                        container: number;
                                        physical: number;
                                        qemu: number;
                                        sim: number;
                                    };
                                };
                                currency: {
                                    /** @description CCU per currency unit, e.g. 1000 */
                                    ccuPerUnit: number;
                                    code: string;
                                };
                                /** @description Users are warned once when their balance falls below this */
                                lowBalanceCcu: number;
                                /**
                                 * @description Usage is posted per window of this length, aligned to the Unix epoch
                                 * @default 3600
                                 */
                                postingPeriodSeconds: number;
                            };
                            updatedAt: string | null;
                            updatedBy: string | null;
                            /** @description 0 is the built-in default */
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ccu/rebuild": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rebuild every balance from the ledger and check the ledger (admin) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Users whose cached balance was wrong */
                            changed: number;
                            /** @description What the ledger check found after the rebuild; empty when every debit is explained */
                            problems: {
                                actualMilli?: number;
                                expectedMilli?: number;
                                id: string;
                                kind: string;
                                message: string;
                                userId: string;
                            }[];
                            users: {
                                afterMilli: number;
                                beforeMilli: number;
                                userId: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ccu/statement.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your statement as CSV: ledger entries created in [from, to) with their usage */
        get: {
            parameters: {
                query?: {
                    from?: string;
                    to?: string;
                    /** @description Admin only: whose figures; yourself when absent */
                    userId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/csv */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ccu/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your CCU per hour or day (debited, credited, balance after), at most 1000 buckets, for a chart */
        get: {
            parameters: {
                query?: {
                    /** @description Bucket size (default day) */
                    bucket?: "hour" | "day";
                    /** @description Default: 30 days (or 48 hours) before `to` */
                    from?: string;
                    /** @description Default: now */
                    to?: string;
                    /** @description Admin only: whose figures; yourself when absent */
                    userId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            bucket: "hour" | "day";
                            from: string;
                            /** @description The posted balance before `from` */
                            openingBalanceMilli: number;
                            points: {
                                /** @description The posted balance after the bucket */
                                balanceMilli: number;
                                /** @description Grants and adjustments in the bucket (signed) */
                                creditMilli: number;
                                /** @description Debited in the bucket (a positive number) */
                                debitMilli: number;
                                start: string;
                            }[];
                            to: string;
                            userId: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Price an order and show the quota headroom, without submitting it */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: date-time */
                        endAt: string;
                        ha?: boolean;
                        productId: string;
                        quantity?: number;
                        size: string;
                        /** Format: date-time */
                        startAt: string;
                        /** @enum {string} */
                        virtualization?: "container" | "qemu" | "physical" | "sim";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            breach: string | null;
                            ccuPerHour: number;
                            components: {
                                ccuPerHour: number;
                                component: string;
                                quantity: number;
                            }[];
                            currency: {
                                amount: number;
                                code: string;
                            };
                            fits: boolean;
                            quota: {
                                group: {
                                    appliances: number | null;
                                    ccuPerMonth: number | null;
                                    cpu: number | null;
                                    diskMiB: number | null;
                                    memoryMiB: number | null;
                                } | null;
                                user: {
                                    appliances: number | null;
                                    ccuPerMonth: number | null;
                                    cpu: number | null;
                                    diskMiB: number | null;
                                    memoryMiB: number | null;
                                };
                            };
                            totalCcu: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List cloud requests (users see their own) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    /** @description The owner's user name (another way to say ownerId) */
                    owner?: string;
                    ownerId?: string;
                    state?: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    cancelled: boolean;
                                    decision: {
                                        approved: boolean;
                                        at: string;
                                        by: string;
                                        comment: string;
                                    } | null;
                                    endAt: string;
                                    ha: boolean;
                                    ownerId: string;
                                    paused: boolean;
                                    productId: string;
                                    quantity: number;
                                    size: string;
                                    startAt: string;
                                    /** @enum {string} */
                                    virtualization: "container" | "qemu" | "physical" | "sim";
                                };
                                status: {
                                    activeSince: string | null;
                                    applianceIds: string[];
                                    ccuPerHour: number;
                                    history: {
                                        at: string;
                                        reason: string | null;
                                        /** @enum {string} */
                                        state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                                    }[];
                                    login: {
                                        /** @enum {string} */
                                        method: "ssh-key" | "password";
                                        user: string;
                                    } | null;
                                    observedGeneration: number;
                                    reason: string | null;
                                    /** @enum {string} */
                                    state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                                };
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Submit a cloud request */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "productId": "019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b",
                     *       "size": "small",
                     *       "quantity": 1,
                     *       "startAt": "2026-12-01T09:00:00Z",
                     *       "endAt": "2026-12-01T17:00:00Z"
                     *     }
                     */
                    "application/json": {
                        /** Format: date-time */
                        endAt: string;
                        ha?: boolean;
                        /** @description Admins may order for a user */
                        ownerId?: string;
                        productId: string;
                        quantity?: number;
                        size: string;
                        /** Format: date-time */
                        startAt: string;
                        /** @enum {string} */
                        virtualization?: "container" | "qemu" | "physical" | "sim";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cancelled: boolean;
                                decision: {
                                    approved: boolean;
                                    at: string;
                                    by: string;
                                    comment: string;
                                } | null;
                                endAt: string;
                                ha: boolean;
                                ownerId: string;
                                paused: boolean;
                                productId: string;
                                quantity: number;
                                size: string;
                                startAt: string;
                                /** @enum {string} */
                                virtualization: "container" | "qemu" | "physical" | "sim";
                            };
                            status: {
                                activeSince: string | null;
                                applianceIds: string[];
                                ccuPerHour: number;
                                history: {
                                    at: string;
                                    reason: string | null;
                                    /** @enum {string} */
                                    state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                                }[];
                                login: {
                                    /** @enum {string} */
                                    method: "ssh-key" | "password";
                                    user: string;
                                } | null;
                                observedGeneration: number;
                                reason: string | null;
                                /** @enum {string} */
                                state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a cloud request */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cancelled: boolean;
                                decision: {
                                    approved: boolean;
                                    at: string;
                                    by: string;
                                    comment: string;
                                } | null;
                                endAt: string;
                                ha: boolean;
                                ownerId: string;
                                paused: boolean;
                                productId: string;
                                quantity: number;
                                size: string;
                                startAt: string;
                                /** @enum {string} */
                                virtualization: "container" | "qemu" | "physical" | "sim";
                            };
                            status: {
                                activeSince: string | null;
                                applianceIds: string[];
                                ccuPerHour: number;
                                history: {
                                    at: string;
                                    reason: string | null;
                                    /** @enum {string} */
                                    state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                                }[];
                                login: {
                                    /** @enum {string} */
                                    method: "ssh-key" | "password";
                                    user: string;
                                } | null;
                                observedGeneration: number;
                                reason: string | null;
                                /** @enum {string} */
                                state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/requests/{id}/appliances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A request's appliances as they are now (those already made and not yet gone), with their address and login user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                deletionRequestedAt: string | null;
                                finalizers: string[];
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    checks?: {
                                        command?: string[];
                                        critical?: string;
                                        expectStatus?: number;
                                        intervalSeconds?: number;
                                        /** @enum {string} */
                                        kind: "tcp" | "http" | "ping" | "command";
                                        maxCheckAttempts?: number;
                                        name: string;
                                        path?: string;
                                        port?: number;
                                        retryIntervalSeconds?: number;
                                        warning?: string;
                                    }[];
                                    command: string[] | null;
                                    configGroups?: string[];
                                    /** @enum {string} */
                                    desiredState: "running" | "stopped";
                                    ha: boolean;
                                    hostname: string;
                                    imageId: string;
                                    kernelId: string | null;
                                    labels: {
                                        [key: string]: string;
                                    };
                                    login: {
                                        passwordSealed: string | null;
                                        sshPublicKey: string | null;
                                        user: string;
                                    } | null;
                                    moreNetworks?: string[];
                                    move?: {
                                        id: string;
                                        requestedAt: string;
                                        /** @enum {string} */
                                        to: "container" | "qemu" | "physical" | "sim";
                                    } | null;
                                    network: string;
                                    ownerId: string | null;
                                    placement?: {
                                        antiAffinity: string | null;
                                        hostLabels: {
                                            [key: string]: string;
                                        };
                                        policy?: ("spread" | "pack" | "energy-aware") | null;
                                    };
                                    requirements: {
                                        cpu: number;
                                        diskMiB: number;
                                        memoryMiB: number;
                                        pids: number;
                                        virtualization: ("container" | "qemu" | "physical" | "sim") | "any";
                                    };
                                    reservation: {
                                        hostId: string;
                                        id: string;
                                    } | null;
                                    restart?: {
                                        elsewhere: boolean;
                                        id: string;
                                        reason: string;
                                        requestedAt: string;
                                    } | null;
                                };
                                status: {
                                    address: string | null;
                                    address6?: string | null;
                                    config?: {
                                        at: string;
                                        changed: number;
                                        failed: number;
                                        group: string;
                                        message: string;
                                        ok: number;
                                        revision: number;
                                        /** @enum {string} */
                                        state: "applied" | "failed";
                                    }[];
                                    handle: {
                                        [key: string]: unknown;
                                    };
                                    hostEpoch?: number;
                                    hostId: string | null;
                                    lastMove?: {
                                        from: ("container" | "qemu" | "physical" | "sim") | null;
                                        id: string;
                                        /** @enum {string} */
                                        outcome: "moved" | "rolled-back" | "rollback-failed";
                                        reason: string | null;
                                        /** @enum {string} */
                                        to: "container" | "qemu" | "physical" | "sim";
                                    } | null;
                                    lastRestart?: {
                                        at: string;
                                        elsewhere: boolean;
                                        fromHostId: string | null;
                                        hostId: string | null;
                                        id: string;
                                        /** @enum {string} */
                                        outcome: "restarted" | "relocated" | "stayed";
                                        reason: string;
                                    } | null;
                                    message: string | null;
                                    moreAddresses?: string[];
                                    moreAddresses6?: (string | null)[];
                                    observedGeneration: number;
                                    /** @enum {string} */
                                    phase: "pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost";
                                    resourceId: string | null;
                                    restarts?: {
                                        at: string;
                                        elsewhere: boolean;
                                    }[];
                                    retry?: {
                                        attempts: number;
                                        deleting: boolean;
                                        generation: number;
                                        lastError: string;
                                        nextAttemptAt: string | null;
                                        waitingFor: ("kernel" | "resource") | null;
                                    } | null;
                                    startedAt: string | null;
                                    virtualization: ("container" | "qemu" | "physical" | "sim") | null;
                                };
                                updatedAt: string;
                                version: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/requests/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a new request (admin) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        comment?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cancelled: boolean;
                                decision: {
                                    approved: boolean;
                                    at: string;
                                    by: string;
                                    comment: string;
                                } | null;
                                endAt: string;
                                ha: boolean;
                                ownerId: string;
                                paused: boolean;
                                productId: string;
                                quantity: number;
                                size: string;
                                startAt: string;
                                /** @enum {string} */
                                virtualization: "container" | "qemu" | "physical" | "sim";
                            };
                            status: {
                                activeSince: string | null;
                                applianceIds: string[];
                                ccuPerHour: number;
                                history: {
                                    at: string;
                                    reason: string | null;
                                    /** @enum {string} */
                                    state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                                }[];
                                login: {
                                    /** @enum {string} */
                                    method: "ssh-key" | "password";
                                    user: string;
                                } | null;
                                observedGeneration: number;
                                reason: string | null;
                                /** @enum {string} */
                                state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/requests/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel: de-provision now and end the request */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        comment?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cancelled: boolean;
                                decision: {
                                    approved: boolean;
                                    at: string;
                                    by: string;
                                    comment: string;
                                } | null;
                                endAt: string;
                                ha: boolean;
                                ownerId: string;
                                paused: boolean;
                                productId: string;
                                quantity: number;
                                size: string;
                                startAt: string;
                                /** @enum {string} */
                                virtualization: "container" | "qemu" | "physical" | "sim";
                            };
                            status: {
                                activeSince: string | null;
                                applianceIds: string[];
                                ccuPerHour: number;
                                history: {
                                    at: string;
                                    reason: string | null;
                                    /** @enum {string} */
                                    state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                                }[];
                                login: {
                                    /** @enum {string} */
                                    method: "ssh-key" | "password";
                                    user: string;
                                } | null;
                                observedGeneration: number;
                                reason: string | null;
                                /** @enum {string} */
                                state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/requests/{id}/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deny a new request (admin) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        comment?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cancelled: boolean;
                                decision: {
                                    approved: boolean;
                                    at: string;
                                    by: string;
                                    comment: string;
                                } | null;
                                endAt: string;
                                ha: boolean;
                                ownerId: string;
                                paused: boolean;
                                productId: string;
                                quantity: number;
                                size: string;
                                startAt: string;
                                /** @enum {string} */
                                virtualization: "container" | "qemu" | "physical" | "sim";
                            };
                            status: {
                                activeSince: string | null;
                                applianceIds: string[];
                                ccuPerHour: number;
                                history: {
                                    at: string;
                                    reason: string | null;
                                    /** @enum {string} */
                                    state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                                }[];
                                login: {
                                    /** @enum {string} */
                                    method: "ssh-key" | "password";
                                    user: string;
                                } | null;
                                observedGeneration: number;
                                reason: string | null;
                                /** @enum {string} */
                                state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/requests/{id}/extend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move the end of the window (capacity is re-checked for the extension) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "endAt": "2026-12-01T20:00:00Z"
                     *     }
                     */
                    "application/json": {
                        /** Format: date-time */
                        endAt: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cancelled: boolean;
                                decision: {
                                    approved: boolean;
                                    at: string;
                                    by: string;
                                    comment: string;
                                } | null;
                                endAt: string;
                                ha: boolean;
                                ownerId: string;
                                paused: boolean;
                                productId: string;
                                quantity: number;
                                size: string;
                                startAt: string;
                                /** @enum {string} */
                                virtualization: "container" | "qemu" | "physical" | "sim";
                            };
                            status: {
                                activeSince: string | null;
                                applianceIds: string[];
                                ccuPerHour: number;
                                history: {
                                    at: string;
                                    reason: string | null;
                                    /** @enum {string} */
                                    state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                                }[];
                                login: {
                                    /** @enum {string} */
                                    method: "ssh-key" | "password";
                                    user: string;
                                } | null;
                                observedGeneration: number;
                                reason: string | null;
                                /** @enum {string} */
                                state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/requests/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause: release the resources, keep the clones */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        comment?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cancelled: boolean;
                                decision: {
                                    approved: boolean;
                                    at: string;
                                    by: string;
                                    comment: string;
                                } | null;
                                endAt: string;
                                ha: boolean;
                                ownerId: string;
                                paused: boolean;
                                productId: string;
                                quantity: number;
                                size: string;
                                startAt: string;
                                /** @enum {string} */
                                virtualization: "container" | "qemu" | "physical" | "sim";
                            };
                            status: {
                                activeSince: string | null;
                                applianceIds: string[];
                                ccuPerHour: number;
                                history: {
                                    at: string;
                                    reason: string | null;
                                    /** @enum {string} */
                                    state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                                }[];
                                login: {
                                    /** @enum {string} */
                                    method: "ssh-key" | "password";
                                    user: string;
                                } | null;
                                observedGeneration: number;
                                reason: string | null;
                                /** @enum {string} */
                                state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/requests/{id}/placement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Explain where approving a cloud request would reserve its units now, host by host (admin) */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            candidates: number;
                            fits: boolean;
                            /** @description Where it would go: one host, or one per unit of a request */
                            hostIds: string[];
                            /** @description Each host’s verdict, candidates best first, then the rejected; at most `limit` */
                            hosts: {
                                host: string;
                                hostId: string;
                                reason: string | null;
                                /** @description The filter that rejected the host, in pipeline order; null: a candidate */
                                rejectedBy: ("host" | "live" | "avoided" | "labels" | "anti-affinity" | "virtualization" | "physical-server" | "capacity") | null;
                                /** @description The candidate's score under the policy, higher is better */
                                score: number | null;
                                virtualization: ("container" | "qemu" | "physical" | "sim") | null;
                            }[];
                            /** @enum {string} */
                            policy: "spread" | "pack" | "energy-aware";
                            /** @description Why nothing fits, in one sentence (what a pending appliance or a refused request says) */
                            reason: string | null;
                            /** @description How many hosts each filter rejected */
                            rejected: {
                                [key: string]: number;
                            };
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/requests/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused request */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        comment?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cancelled: boolean;
                                decision: {
                                    approved: boolean;
                                    at: string;
                                    by: string;
                                    comment: string;
                                } | null;
                                endAt: string;
                                ha: boolean;
                                ownerId: string;
                                paused: boolean;
                                productId: string;
                                quantity: number;
                                size: string;
                                startAt: string;
                                /** @enum {string} */
                                virtualization: "container" | "qemu" | "physical" | "sim";
                            };
                            status: {
                                activeSince: string | null;
                                applianceIds: string[];
                                ccuPerHour: number;
                                history: {
                                    at: string;
                                    reason: string | null;
                                    /** @enum {string} */
                                    state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                                }[];
                                login: {
                                    /** @enum {string} */
                                    method: "ssh-key" | "password";
                                    user: string;
                                } | null;
                                observedGeneration: number;
                                reason: string | null;
                                /** @enum {string} */
                                state: "new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/requests/counts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How many requests are in each state (users: their own); `new` ones wait for a decision */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Every state, 0 when none is in it */
                            byState: {
                                [key: string]: number;
                            };
                            total: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List configuration groups (admin) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    name?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    ansible: {
                                        playbook: string;
                                    } | null;
                                    cloudInit: {
                                        cloudConfig: {
                                            [key: string]: unknown;
                                        };
                                    } | null;
                                    description: string;
                                    puppet: {
                                        classes: {
                                            [key: string]: {
                                                [key: string]: unknown;
                                            };
                                        };
                                    } | null;
                                    revision: number;
                                };
                                status: Record<string, never>;
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Define a configuration group (admin) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "name": "motd",
                     *       "description": "A message of the day",
                     *       "ansible": {
                     *         "playbook": "- hosts: all\n  gather_facts: false\n  tasks:\n    - raw: echo welcome > /etc/motd\n"
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @description A playbook (YAML) run against each appliance over SSH; its plays target `all` */
                        ansible?: {
                            playbook: string;
                        } | null;
                        cloudInit?: {
                            cloudConfig: {
                                [key: string]: unknown;
                            };
                        } | null;
                        description?: string;
                        name: string;
                        puppet?: {
                            classes: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                        } | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                ansible: {
                                    playbook: string;
                                } | null;
                                cloudInit: {
                                    cloudConfig: {
                                        [key: string]: unknown;
                                    };
                                } | null;
                                description: string;
                                puppet: {
                                    classes: {
                                        [key: string]: {
                                            [key: string]: unknown;
                                        };
                                    };
                                } | null;
                                revision: number;
                            };
                            status: Record<string, never>;
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config-groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a configuration group (admin) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                ansible: {
                                    playbook: string;
                                } | null;
                                cloudInit: {
                                    cloudConfig: {
                                        [key: string]: unknown;
                                    };
                                } | null;
                                description: string;
                                puppet: {
                                    classes: {
                                        [key: string]: {
                                            [key: string]: unknown;
                                        };
                                    };
                                } | null;
                                revision: number;
                            };
                            status: Record<string, never>;
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a configuration group no product or appliance carries (admin) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a configuration group (admin); its revision goes up */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description A playbook (YAML) run against each appliance over SSH; its plays target `all` */
                        ansible?: {
                            playbook: string;
                        } | null;
                        cloudInit?: {
                            cloudConfig: {
                                [key: string]: unknown;
                            };
                        } | null;
                        description?: string;
                        puppet?: {
                            classes: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                        } | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                ansible: {
                                    playbook: string;
                                } | null;
                                cloudInit: {
                                    cloudConfig: {
                                        [key: string]: unknown;
                                    };
                                } | null;
                                description: string;
                                puppet: {
                                    classes: {
                                        [key: string]: {
                                            [key: string]: unknown;
                                        };
                                    };
                                } | null;
                                revision: number;
                            };
                            status: Record<string, never>;
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/config-groups/{id}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The products and appliances that carry a configuration group, with what its last application did on each (admin) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            appliances: {
                                applied: {
                                    at: string;
                                    changed: number;
                                    failed: number;
                                    group: string;
                                    message: string;
                                    ok: number;
                                    revision: number;
                                    /** @enum {string} */
                                    state: "applied" | "failed";
                                } | null;
                                id: string;
                                name: string;
                            }[];
                            products: {
                                id: string;
                                name: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/ansible/inventory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every appliance as an Ansible dynamic inventory (admin) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An Ansible dynamic inventory (`--list` output): groups config_<group> and label_<key>_<value>, and _meta.hostvars per appliance */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _meta: {
                                hostvars: {
                                    [key: string]: {
                                        [key: string]: unknown;
                                    };
                                };
                            };
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/puppet/enc/{certname}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Puppet external node classifier: the classes and parameters of an appliance by its certname (the Puppet token or an admin)
         * @description YAML (application/yaml) as Puppet reads an ENC's output: environment, classes (every class of the appliance's configuration groups with its parameters, a later group winning), parameters (fleetyard_*). The certname is the appliance's fqdn, hostname or id.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    certname: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description application/yaml */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The data center at a glance: capacity by virtualization, hosts, appliances, requests and CCU burn (admin) */
        get: {
            parameters: {
                query?: {
                    /** @description How many hours of CCU burn to return, the current one last (default 24) */
                    hours?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Dashboard"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List events in order (cloud users see their own) */
        get: {
            parameters: {
                query?: {
                    afterSeq?: number;
                    kind?: "resource" | "kernel" | "image" | "storage" | "appliance" | "network" | "user" | "group" | "product" | "config-group" | "request" | "billing" | "mail" | "join-token" | "stack" | "ha";
                    limit?: number;
                    objectId?: string;
                    /** @description Only this user's events. Admins only: a cloud user always gets their own */
                    ownerId?: string;
                    /** @description Only events of this type (docs/events.md lists them) */
                    type?: "appliance.created" | "appliance.start-requested" | "appliance.stop-requested" | "appliance.move-requested" | "appliance.delete-requested" | "appliance.placed" | "appliance.config-applied" | "appliance.config-failed" | "appliance.running" | "appliance.stopped" | "appliance.unschedulable" | "appliance.failed" | "appliance.failover" | "appliance.lost" | "appliance.waiting-for-host" | "appliance.moving" | "appliance.moved" | "appliance.move-rolled-back" | "appliance.move-rollback-failed" | "appliance.deleted" | "appliance.runtime.shutdown" | "appliance.runtime.powerdown" | "appliance.runtime.reset" | "appliance.runtime.stop" | "appliance.dns-published" | "appliance.dns-removed" | "appliance.checks-set" | "appliance.check.changed" | "appliance.restart-requested" | "appliance.restart-limited" | "appliance.restarting" | "appliance.restarted" | "request.submitted" | "request.approve-requested" | "request.deny-requested" | "request.pause-requested" | "request.resume-requested" | "request.cancel-requested" | "request.extended" | "request.repriced" | "request.approved" | "request.provisioning" | "request.active" | "request.paused" | "request.deprovisioning" | "request.done" | "request.denied" | "request.failed" | "request.no-capacity" | "user.created" | "user.updated" | "user.password-changed" | "user.email-change-requested" | "user.email-verified" | "user.token-created" | "user.token-revoked" | "user.logged-in" | "group.created" | "quota.set" | "billing.grant" | "billing.adjustment" | "billing.posted" | "billing.price-list-changed" | "mail.queued" | "mail.sent" | "mail.deferred" | "mail.failed" | "mail.retried" | "product.created" | "product.updated" | "config-group.created" | "config-group.updated" | "config-group.deleted" | "image.created" | "image.importing" | "image.ready" | "image.import-failed" | "image.deleted" | "kernel.created" | "kernel.file-stored" | "kernel.ready" | "kernel.deleted" | "storage.created" | "network.created" | "network.updated" | "network.deleted" | "resource.registered" | "resource.removed" | "resource.discovered" | "resource.power" | "host.enrolled" | "host.registered" | "host.active" | "host.labels-set" | "host.bmc-set" | "host.lease-expired" | "host.unresponsive" | "host.failed" | "host.fence-failed" | "host.fenced" | "host.fence-confirmed" | "host.lease-renewed" | "host.wake-on-lan-set" | "host.powering-off" | "host.powered-off" | "host.powering-on" | "host.woke" | "host.power-failed" | "host.power-off-cancelled" | "host.rejoined" | "host.message-refused" | "ha.tolerance-lost" | "ha.tolerance-restored" | "host.join-token-created" | "host.join-token-revoked" | "stack.applied" | "stack.deleted";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                data: {
                                    [key: string]: unknown;
                                };
                                id: string;
                                /** @enum {string} */
                                kind: "resource" | "kernel" | "image" | "storage" | "appliance" | "network" | "user" | "group" | "product" | "config-group" | "request" | "billing" | "mail" | "join-token" | "stack" | "ha";
                                message: string;
                                objectId: string;
                                ownerId: string | null;
                                seq: number;
                                time: string;
                                /** @enum {string} */
                                type: "appliance.created" | "appliance.start-requested" | "appliance.stop-requested" | "appliance.move-requested" | "appliance.delete-requested" | "appliance.placed" | "appliance.config-applied" | "appliance.config-failed" | "appliance.running" | "appliance.stopped" | "appliance.unschedulable" | "appliance.failed" | "appliance.failover" | "appliance.lost" | "appliance.waiting-for-host" | "appliance.moving" | "appliance.moved" | "appliance.move-rolled-back" | "appliance.move-rollback-failed" | "appliance.deleted" | "appliance.runtime.shutdown" | "appliance.runtime.powerdown" | "appliance.runtime.reset" | "appliance.runtime.stop" | "appliance.dns-published" | "appliance.dns-removed" | "appliance.checks-set" | "appliance.check.changed" | "appliance.restart-requested" | "appliance.restart-limited" | "appliance.restarting" | "appliance.restarted" | "request.submitted" | "request.approve-requested" | "request.deny-requested" | "request.pause-requested" | "request.resume-requested" | "request.cancel-requested" | "request.extended" | "request.repriced" | "request.approved" | "request.provisioning" | "request.active" | "request.paused" | "request.deprovisioning" | "request.done" | "request.denied" | "request.failed" | "request.no-capacity" | "user.created" | "user.updated" | "user.password-changed" | "user.email-change-requested" | "user.email-verified" | "user.token-created" | "user.token-revoked" | "user.logged-in" | "group.created" | "quota.set" | "billing.grant" | "billing.adjustment" | "billing.posted" | "billing.price-list-changed" | "mail.queued" | "mail.sent" | "mail.deferred" | "mail.failed" | "mail.retried" | "product.created" | "product.updated" | "config-group.created" | "config-group.updated" | "config-group.deleted" | "image.created" | "image.importing" | "image.ready" | "image.import-failed" | "image.deleted" | "kernel.created" | "kernel.file-stored" | "kernel.ready" | "kernel.deleted" | "storage.created" | "network.created" | "network.updated" | "network.deleted" | "resource.registered" | "resource.removed" | "resource.discovered" | "resource.power" | "host.enrolled" | "host.registered" | "host.active" | "host.labels-set" | "host.bmc-set" | "host.lease-expired" | "host.unresponsive" | "host.failed" | "host.fence-failed" | "host.fenced" | "host.fence-confirmed" | "host.lease-renewed" | "host.wake-on-lan-set" | "host.powering-off" | "host.powered-off" | "host.powering-on" | "host.woke" | "host.power-failed" | "host.power-off-cancelled" | "host.rejoined" | "host.message-refused" | "ha.tolerance-lost" | "ha.tolerance-restored" | "host.join-token-created" | "host.join-token-revoked" | "stack.applied" | "stack.deleted";
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live event stream (text/event-stream; cloud users get their own); resumes after Last-Event-ID */
        get: {
            parameters: {
                query?: {
                    afterSeq?: number;
                    kind?: "resource" | "kernel" | "image" | "storage" | "appliance" | "network" | "user" | "group" | "product" | "config-group" | "request" | "billing" | "mail" | "join-token" | "stack" | "ha";
                    objectId?: string;
                    /** @description Only this user's events. Admins only: a cloud user always gets their own */
                    ownerId?: string;
                    /** @description Only events of this type (docs/events.md lists them) */
                    type?: "appliance.created" | "appliance.start-requested" | "appliance.stop-requested" | "appliance.move-requested" | "appliance.delete-requested" | "appliance.placed" | "appliance.config-applied" | "appliance.config-failed" | "appliance.running" | "appliance.stopped" | "appliance.unschedulable" | "appliance.failed" | "appliance.failover" | "appliance.lost" | "appliance.waiting-for-host" | "appliance.moving" | "appliance.moved" | "appliance.move-rolled-back" | "appliance.move-rollback-failed" | "appliance.deleted" | "appliance.runtime.shutdown" | "appliance.runtime.powerdown" | "appliance.runtime.reset" | "appliance.runtime.stop" | "appliance.dns-published" | "appliance.dns-removed" | "appliance.checks-set" | "appliance.check.changed" | "appliance.restart-requested" | "appliance.restart-limited" | "appliance.restarting" | "appliance.restarted" | "request.submitted" | "request.approve-requested" | "request.deny-requested" | "request.pause-requested" | "request.resume-requested" | "request.cancel-requested" | "request.extended" | "request.repriced" | "request.approved" | "request.provisioning" | "request.active" | "request.paused" | "request.deprovisioning" | "request.done" | "request.denied" | "request.failed" | "request.no-capacity" | "user.created" | "user.updated" | "user.password-changed" | "user.email-change-requested" | "user.email-verified" | "user.token-created" | "user.token-revoked" | "user.logged-in" | "group.created" | "quota.set" | "billing.grant" | "billing.adjustment" | "billing.posted" | "billing.price-list-changed" | "mail.queued" | "mail.sent" | "mail.deferred" | "mail.failed" | "mail.retried" | "product.created" | "product.updated" | "config-group.created" | "config-group.updated" | "config-group.deleted" | "image.created" | "image.importing" | "image.ready" | "image.import-failed" | "image.deleted" | "kernel.created" | "kernel.file-stored" | "kernel.ready" | "kernel.deleted" | "storage.created" | "network.created" | "network.updated" | "network.deleted" | "resource.registered" | "resource.removed" | "resource.discovered" | "resource.power" | "host.enrolled" | "host.registered" | "host.active" | "host.labels-set" | "host.bmc-set" | "host.lease-expired" | "host.unresponsive" | "host.failed" | "host.fence-failed" | "host.fenced" | "host.fence-confirmed" | "host.lease-renewed" | "host.wake-on-lan-set" | "host.powering-off" | "host.powered-off" | "host.powering-on" | "host.woke" | "host.power-failed" | "host.power-off-cancelled" | "host.rejoined" | "host.message-refused" | "ha.tolerance-lost" | "ha.tolerance-restored" | "host.join-token-created" | "host.join-token-revoked" | "stack.applied" | "stack.deleted";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream of events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List groups (admin) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    name?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    description: string;
                                };
                                status: Record<string, never>;
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a group (admin) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                description: string;
                            };
                            status: Record<string, never>;
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a group (admin) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                description: string;
                            };
                            status: Record<string, never>;
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ha/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where every HA appliance would restart if the hosts named failed (or, without fail, each host alone), and which could not, with the reason (admin) */
        get: {
            parameters: {
                query?: {
                    /** @description A host (name or id) that fails; repeat for several failing together. Without it: every single-host failure */
                    fail?: string | string[];
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HaPlan"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/bmc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set the BMC a host is fenced through (its password is sealed at rest and never shown again) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        address: string;
                        password: string;
                        /** @description IPMI port (default 623) */
                        port?: number;
                        user: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                bmc?: {
                                    address: string;
                                    passwordSealed: string;
                                    port: number;
                                    user: string;
                                } | null;
                                capacity: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                };
                                hostId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                mac?: string | null;
                                /** @enum {string} */
                                type: "physical" | "vm" | "container";
                                virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                                wakeOnLan?: {
                                    address: string;
                                    mac: string;
                                    port: number;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                applianceId: string | null;
                                facts: {
                                    [key: string]: unknown;
                                };
                                lastHeartbeatAt: string | null;
                                lease?: {
                                    durationMs: number;
                                    epoch: number;
                                    expiresAt: string | null;
                                    fencedBy: ("bmc" | "admin") | null;
                                    signals: {
                                        bmc: ("on" | "off" | "unreachable" | "none") | null;
                                        checkedAt: string | null;
                                        peers: {
                                            hostId: string;
                                            reachable: boolean;
                                        }[];
                                    };
                                    since: string;
                                    /** @enum {string} */
                                    state: "live" | "expired" | "unresponsive" | "fencing" | "fence-failed" | "fenced";
                                    waitingFor: string | null;
                                };
                                power?: {
                                    bootMs: number | null;
                                    failures: number;
                                    lastError: string | null;
                                    nextTryAt: string | null;
                                    offMs: number;
                                    reason: string;
                                    shutdownAt?: string | null;
                                    since: string;
                                    /** @enum {string} */
                                    state: "awake" | "powering-off" | "off" | "powering-on";
                                };
                                /** @enum {string} */
                                powerState: "on" | "off" | "unknown";
                                /** @enum {string} */
                                state: "active" | "idle" | "off" | "error" | "unknown";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/fence-confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm by hand that a failed host is off: it counts as fenced, and its HA appliances restart elsewhere */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                bmc?: {
                                    address: string;
                                    passwordSealed: string;
                                    port: number;
                                    user: string;
                                } | null;
                                capacity: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                };
                                hostId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                mac?: string | null;
                                /** @enum {string} */
                                type: "physical" | "vm" | "container";
                                virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                                wakeOnLan?: {
                                    address: string;
                                    mac: string;
                                    port: number;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                applianceId: string | null;
                                facts: {
                                    [key: string]: unknown;
                                };
                                lastHeartbeatAt: string | null;
                                lease?: {
                                    durationMs: number;
                                    epoch: number;
                                    expiresAt: string | null;
                                    fencedBy: ("bmc" | "admin") | null;
                                    signals: {
                                        bmc: ("on" | "off" | "unreachable" | "none") | null;
                                        checkedAt: string | null;
                                        peers: {
                                            hostId: string;
                                            reachable: boolean;
                                        }[];
                                    };
                                    since: string;
                                    /** @enum {string} */
                                    state: "live" | "expired" | "unresponsive" | "fencing" | "fence-failed" | "fenced";
                                    waitingFor: string | null;
                                };
                                power?: {
                                    bootMs: number | null;
                                    failures: number;
                                    lastError: string | null;
                                    nextTryAt: string | null;
                                    offMs: number;
                                    reason: string;
                                    shutdownAt?: string | null;
                                    since: string;
                                    /** @enum {string} */
                                    state: "awake" | "powering-off" | "off" | "powering-on";
                                };
                                /** @enum {string} */
                                powerState: "on" | "off" | "unknown";
                                /** @enum {string} */
                                state: "active" | "idle" | "off" | "error" | "unknown";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/labels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a host's labels, which appliances' placement constraints select hosts by */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The host's labels, replacing the ones an admin set before (Fleetyard's own fleetyard.io/ labels stay) */
                        labels: {
                            [key: string]: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                bmc?: {
                                    address: string;
                                    passwordSealed: string;
                                    port: number;
                                    user: string;
                                } | null;
                                capacity: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                };
                                hostId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                mac?: string | null;
                                /** @enum {string} */
                                type: "physical" | "vm" | "container";
                                virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                                wakeOnLan?: {
                                    address: string;
                                    mac: string;
                                    port: number;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                applianceId: string | null;
                                facts: {
                                    [key: string]: unknown;
                                };
                                lastHeartbeatAt: string | null;
                                lease?: {
                                    durationMs: number;
                                    epoch: number;
                                    expiresAt: string | null;
                                    fencedBy: ("bmc" | "admin") | null;
                                    signals: {
                                        bmc: ("on" | "off" | "unreachable" | "none") | null;
                                        checkedAt: string | null;
                                        peers: {
                                            hostId: string;
                                            reachable: boolean;
                                        }[];
                                    };
                                    since: string;
                                    /** @enum {string} */
                                    state: "live" | "expired" | "unresponsive" | "fencing" | "fence-failed" | "fenced";
                                    waitingFor: string | null;
                                };
                                power?: {
                                    bootMs: number | null;
                                    failures: number;
                                    lastError: string | null;
                                    nextTryAt: string | null;
                                    offMs: number;
                                    reason: string;
                                    shutdownAt?: string | null;
                                    since: string;
                                    /** @enum {string} */
                                    state: "awake" | "powering-off" | "off" | "powering-on";
                                };
                                /** @enum {string} */
                                powerState: "on" | "off" | "unknown";
                                /** @enum {string} */
                                state: "active" | "idle" | "off" | "error" | "unknown";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/wake-on-lan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Power a host without a BMC by Wake-on-LAN: woken by a magic packet, powered off by its agent (admin) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Where the magic packet goes: the broadcast address of the host's network */
                        address: string;
                        /** @description The MAC of the network card armed for Wake-on-LAN */
                        mac: string;
                        /** @description UDP port (default 9) */
                        port?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                bmc?: {
                                    address: string;
                                    passwordSealed: string;
                                    port: number;
                                    user: string;
                                } | null;
                                capacity: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                };
                                hostId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                mac?: string | null;
                                /** @enum {string} */
                                type: "physical" | "vm" | "container";
                                virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                                wakeOnLan?: {
                                    address: string;
                                    mac: string;
                                    port: number;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                applianceId: string | null;
                                facts: {
                                    [key: string]: unknown;
                                };
                                lastHeartbeatAt: string | null;
                                lease?: {
                                    durationMs: number;
                                    epoch: number;
                                    expiresAt: string | null;
                                    fencedBy: ("bmc" | "admin") | null;
                                    signals: {
                                        bmc: ("on" | "off" | "unreachable" | "none") | null;
                                        checkedAt: string | null;
                                        peers: {
                                            hostId: string;
                                            reachable: boolean;
                                        }[];
                                    };
                                    since: string;
                                    /** @enum {string} */
                                    state: "live" | "expired" | "unresponsive" | "fencing" | "fence-failed" | "fenced";
                                    waitingFor: string | null;
                                };
                                power?: {
                                    bootMs: number | null;
                                    failures: number;
                                    lastError: string | null;
                                    nextTryAt: string | null;
                                    offMs: number;
                                    reason: string;
                                    shutdownAt?: string | null;
                                    since: string;
                                    /** @enum {string} */
                                    state: "awake" | "powering-off" | "off" | "powering-on";
                                };
                                /** @enum {string} */
                                powerState: "on" | "off" | "unknown";
                                /** @enum {string} */
                                state: "active" | "idle" | "off" | "error" | "unknown";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/join-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List join tokens, newest first (secrets are never shown again) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    /** @description Only tokens in this state now (pending: can still enrol a host) */
                    state?: "pending" | "used" | "expired" | "revoked";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                expiresAt: string;
                                /** @description The host this token re-enrols; null: it enrols a new host */
                                hostId: string | null;
                                id: string;
                                note: string;
                                revokedAt: string | null;
                                /** @enum {string} */
                                state: "pending" | "used" | "expired" | "revoked";
                                usedAt: string | null;
                                usedByHostId: string | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a single-use join token for `fleetyard agent --join-token` (shown in this answer only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Re-enrol this host (replacing its keys) instead of enrolling a new one */
                        hostId?: string;
                        /** @description What the token is for, e.g. "rack 4, node 12" */
                        note?: string;
                        /** @description How long the token can be used (default 3600 s, at most 7 days) */
                        ttlSeconds?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            expiresAt: string;
                            /** @description The host this token re-enrols; null: it enrols a new host */
                            hostId: string | null;
                            id: string;
                            note: string;
                            revokedAt: string | null;
                            /** @enum {string} */
                            state: "pending" | "used" | "expired" | "revoked";
                            token: string;
                            usedAt: string | null;
                            usedByHostId: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/join-tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a join token that was not used yet */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List images */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    format?: string;
                    limit?: number;
                    name?: string;
                    parentId?: string;
                    storageId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    command: string[];
                                    /** @enum {string} */
                                    format: "rootfs-dir" | "qcow2" | "raw";
                                    parentId: string | null;
                                    storageId: string;
                                };
                                status: {
                                    expectedBytes: number | null;
                                    importedBytes: number;
                                    message: string | null;
                                    path: string | null;
                                    sizeBytes: number;
                                    /** @enum {string} */
                                    state: "queued" | "importing" | "ready" | "failed";
                                };
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create an empty image (queued); give it its data with PUT /images/{id}/file or POST /images/{id}/import */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        command?: string[];
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                command: string[];
                                /** @enum {string} */
                                format: "rootfs-dir" | "qcow2" | "raw";
                                parentId: string | null;
                                storageId: string;
                            };
                            status: {
                                expectedBytes: number | null;
                                importedBytes: number;
                                message: string | null;
                                path: string | null;
                                sizeBytes: number;
                                /** @enum {string} */
                                state: "queued" | "importing" | "ready" | "failed";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show an image (while importing: the bytes imported so far) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                command: string[];
                                /** @enum {string} */
                                format: "rootfs-dir" | "qcow2" | "raw";
                                parentId: string | null;
                                storageId: string;
                            };
                            status: {
                                expectedBytes: number | null;
                                importedBytes: number;
                                message: string | null;
                                path: string | null;
                                sizeBytes: number;
                                /** @enum {string} */
                                state: "queued" | "importing" | "ready" | "failed";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an image (refused while an appliance uses it or it is importing) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/file": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload the data of a queued image: a rootfs tar stream (.tar or .tar.gz), streamed to disk as it arrives */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            /** @description The root filesystem as a tar archive, gzip-compressed or not */
            requestBody: {
                content: {
                    "application/gzip": string;
                    "application/octet-stream": string;
                    "application/x-tar": string;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                command: string[];
                                /** @enum {string} */
                                format: "rootfs-dir" | "qcow2" | "raw";
                                parentId: string | null;
                                storageId: string;
                            };
                            status: {
                                expectedBytes: number | null;
                                importedBytes: number;
                                message: string | null;
                                path: string | null;
                                sizeBytes: number;
                                /** @enum {string} */
                                state: "queued" | "importing" | "ready" | "failed";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import a queued image from a tarball or directory inside a server import directory */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description A rootfs tarball (.tar, .tar.gz) or directory on the server, inside one of its import directories (--import-dir) */
                        source: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                command: string[];
                                /** @enum {string} */
                                format: "rootfs-dir" | "qcow2" | "raw";
                                parentId: string | null;
                                storageId: string;
                            };
                            status: {
                                expectedBytes: number | null;
                                importedBytes: number;
                                message: string | null;
                                path: string | null;
                                sizeBytes: number;
                                /** @enum {string} */
                                state: "queued" | "importing" | "ready" | "failed";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kernels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List kernels */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    name?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    cmdline: string;
                                    initrdPath: string | null;
                                    vmlinuzPath: string | null;
                                };
                                status: {
                                    initrdBytes: number | null;
                                    message: string | null;
                                    /** @enum {string} */
                                    state: "queued" | "ready" | "unusable";
                                    vmlinuzBytes: number | null;
                                };
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a kernel without files (queued); give it its files with PUT /kernels/{id}/vmlinuz and …/initrd, or POST /kernels/{id}/import */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        cmdline?: string;
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cmdline: string;
                                initrdPath: string | null;
                                vmlinuzPath: string | null;
                            };
                            status: {
                                initrdBytes: number | null;
                                message: string | null;
                                /** @enum {string} */
                                state: "queued" | "ready" | "unusable";
                                vmlinuzBytes: number | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kernels/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a kernel */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cmdline: string;
                                initrdPath: string | null;
                                vmlinuzPath: string | null;
                            };
                            status: {
                                initrdBytes: number | null;
                                message: string | null;
                                /** @enum {string} */
                                state: "queued" | "ready" | "unusable";
                                vmlinuzBytes: number | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a kernel no appliance uses */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kernels/{id}/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Copy a kernel's vmlinuz (and initrd) into the kernel store from a server import directory */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        initrdPath?: string | null;
                        /** @description A bzImage on the server, inside one of its import directories (--import-dir) */
                        vmlinuzPath: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cmdline: string;
                                initrdPath: string | null;
                                vmlinuzPath: string | null;
                            };
                            status: {
                                initrdBytes: number | null;
                                message: string | null;
                                /** @enum {string} */
                                state: "queued" | "ready" | "unusable";
                                vmlinuzBytes: number | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kernels/{id}/initrd": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload a kernel's initrd into the kernel store (checked for what it is as it arrives) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            /** @description The initrd: gzip, zstd, xz or lz4 compressed, or a plain cpio archive */
            requestBody: {
                content: {
                    "application/gzip": string;
                    "application/octet-stream": string;
                    "application/x-tar": string;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cmdline: string;
                                initrdPath: string | null;
                                vmlinuzPath: string | null;
                            };
                            status: {
                                initrdBytes: number | null;
                                message: string | null;
                                /** @enum {string} */
                                state: "queued" | "ready" | "unusable";
                                vmlinuzBytes: number | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kernels/{id}/vmlinuz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload a kernel's vmlinuz into the kernel store (checked for what it is as it arrives) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            /** @description The kernel: a bzImage */
            requestBody: {
                content: {
                    "application/gzip": string;
                    "application/octet-stream": string;
                    "application/x-tar": string;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                cmdline: string;
                                initrdPath: string | null;
                                vmlinuzPath: string | null;
                            };
                            status: {
                                initrdBytes: number | null;
                                message: string | null;
                                /** @enum {string} */
                                state: "queued" | "ready" | "unusable";
                                vmlinuzBytes: number | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mails": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List mails (admin: all; users: their own) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    /** @description ID of the object the mail is about */
                    relatedId?: string;
                    /** @description Kind of the object the mail is about, such as request */
                    relatedKind?: string;
                    state?: "pending" | "sent" | "failed";
                    /** @description Recipient address (users see only their own) */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Mail"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mails/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a failed mail again, with a fresh count of attempts (admin); a pending one is tried at once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Mail"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/monitoring/nagios": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Nagios object definitions of the appliances (hosts) and their health checks (services)
         * @description Plain text for a cfg_file of nagios.cfg; $USER1$ must be the plugin directory. Appliances without an address (never placed) are left out.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/plain */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/monitoring/prometheus-sd": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus HTTP service discovery: one target group per appliance with an address (the metrics token, an admin, or a cloud user for their own) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PrometheusTargetGroup"][];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/networks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List networks */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    name?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    bridge: string;
                                    cidr: string | null;
                                    dns?: ({
                                        /** @enum {string} */
                                        backend: "embedded";
                                        zone: string;
                                    } | {
                                        /** @enum {string} */
                                        backend: "rfc2136";
                                        /** @enum {string} */
                                        keyAlgorithm: "hmac-sha256" | "hmac-sha512";
                                        keyName: string;
                                        port: number;
                                        server: string;
                                        zone: string;
                                    }) | null;
                                    /** @default [] */
                                    excluded: {
                                        first: string;
                                        last: string;
                                    }[];
                                    gateway: string | null;
                                    ipv6?: {
                                        cidr: string;
                                        /** @default [] */
                                        excluded: {
                                            first: string;
                                            last: string;
                                        }[];
                                        gateway: string;
                                    } | null;
                                    mtu?: number;
                                    /** @enum {string} */
                                    origin?: "configuration" | "admin" | "tenant";
                                    tenant?: {
                                        id: string;
                                        /** @enum {string} */
                                        kind: "user" | "group";
                                    } | null;
                                    vxlan?: {
                                        vni: number;
                                    } | null;
                                };
                                status: Record<string, never>;
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Make a network (an RFC 2136 key secret is sealed at rest and never shown again) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "name": "backend",
                     *       "bridge": "fybackend",
                     *       "cidr": "169.254.80.0/24",
                     *       "ipv6": {
                     *         "cidr": "fd00:80::/64"
                     *       },
                     *       "dns": {
                     *         "backend": "embedded",
                     *         "zone": "backend.internal"
                     *       },
                     *       "spansHosts": true
                     *     }
                     */
                    "application/json": {
                        bridge: string;
                        /** @description The IPv4 pool, e.g. 169.254.80.0/24; leave it out for an IPv6-only network (then `ipv6` is required) */
                        cidr?: string;
                        dns?: ({
                            /** @enum {string} */
                            backend: "embedded";
                            zone: string;
                        } | {
                            /** @enum {string} */
                            backend: "rfc2136";
                            /** @enum {string} */
                            keyAlgorithm: "hmac-sha256" | "hmac-sha512";
                            keyName: string;
                            /** @description Required unless the network already has an RFC 2136 key, which is then kept */
                            keySecret?: string;
                            port?: number;
                            server: string;
                            zone: string;
                        }) | null;
                        /** @description Inclusive ranges IPAM never hands out */
                        excluded?: {
                            first: string;
                            last: string;
                        }[];
                        /** @description The host bridge's address; default: the first host address */
                        gateway?: string;
                        /** @description An IPv6 pool (a unique local fd00::/8 prefix of length 64..120), beside the IPv4 one or alone */
                        ipv6?: {
                            /** @description The pool, e.g. 169.254.80.0/24 or fd00:80::/64 */
                            cidr: string;
                            /** @description Inclusive ranges IPAM never hands out */
                            excluded?: {
                                first: string;
                                last: string;
                            }[];
                            /** @description The host bridge's address; default: the first host address */
                            gateway?: string;
                        } | null;
                        /** @description Default 1500, or 1450 for a network that spans hosts */
                        mtu?: number;
                        name: string;
                        /** @description Carry the network between hosts (VXLAN, with a VNI Fleetyard picks) */
                        spansHosts?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                bridge: string;
                                cidr: string | null;
                                dns?: ({
                                    /** @enum {string} */
                                    backend: "embedded";
                                    zone: string;
                                } | {
                                    /** @enum {string} */
                                    backend: "rfc2136";
                                    /** @enum {string} */
                                    keyAlgorithm: "hmac-sha256" | "hmac-sha512";
                                    keyName: string;
                                    port: number;
                                    server: string;
                                    zone: string;
                                }) | null;
                                /** @default [] */
                                excluded: {
                                    first: string;
                                    last: string;
                                }[];
                                gateway: string | null;
                                ipv6?: {
                                    cidr: string;
                                    /** @default [] */
                                    excluded: {
                                        first: string;
                                        last: string;
                                    }[];
                                    gateway: string;
                                } | null;
                                mtu?: number;
                                /** @enum {string} */
                                origin?: "configuration" | "admin" | "tenant";
                                tenant?: {
                                    id: string;
                                    /** @enum {string} */
                                    kind: "user" | "group";
                                } | null;
                                vxlan?: {
                                    vni: number;
                                } | null;
                            };
                            status: Record<string, never>;
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/networks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a network */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                bridge: string;
                                cidr: string | null;
                                dns?: ({
                                    /** @enum {string} */
                                    backend: "embedded";
                                    zone: string;
                                } | {
                                    /** @enum {string} */
                                    backend: "rfc2136";
                                    /** @enum {string} */
                                    keyAlgorithm: "hmac-sha256" | "hmac-sha512";
                                    keyName: string;
                                    port: number;
                                    server: string;
                                    zone: string;
                                }) | null;
                                /** @default [] */
                                excluded: {
                                    first: string;
                                    last: string;
                                }[];
                                gateway: string | null;
                                ipv6?: {
                                    cidr: string;
                                    /** @default [] */
                                    excluded: {
                                        first: string;
                                        last: string;
                                    }[];
                                    gateway: string;
                                } | null;
                                mtu?: number;
                                /** @enum {string} */
                                origin?: "configuration" | "admin" | "tenant";
                                tenant?: {
                                    id: string;
                                    /** @enum {string} */
                                    kind: "user" | "group";
                                } | null;
                                vxlan?: {
                                    vni: number;
                                } | null;
                            };
                            status: Record<string, never>;
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a network (refused while an appliance uses it or holds one of its addresses, and for the configuration's networks) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a network (its bridge and address pools only while no appliance holds an address; the configuration's networks keep their bridge and IPv4 pool) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        bridge?: string;
                        /** @description null: no IPv4 pool (the network keeps an IPv6 one) */
                        cidr?: string | null;
                        dns?: ({
                            /** @enum {string} */
                            backend: "embedded";
                            zone: string;
                        } | {
                            /** @enum {string} */
                            backend: "rfc2136";
                            /** @enum {string} */
                            keyAlgorithm: "hmac-sha256" | "hmac-sha512";
                            keyName: string;
                            /** @description Required unless the network already has an RFC 2136 key, which is then kept */
                            keySecret?: string;
                            port?: number;
                            server: string;
                            zone: string;
                        }) | null;
                        /** @description Inclusive ranges IPAM never hands out */
                        excluded?: {
                            first: string;
                            last: string;
                        }[];
                        /** @description The host bridge's address; default: the first host address */
                        gateway?: string;
                        ipv6?: {
                            /** @description The pool, e.g. 169.254.80.0/24 or fd00:80::/64 */
                            cidr: string;
                            /** @description Inclusive ranges IPAM never hands out */
                            excluded?: {
                                first: string;
                                last: string;
                            }[];
                            /** @description The host bridge's address; default: the first host address */
                            gateway?: string;
                        } | null;
                        /** @description null: back to the default */
                        mtu?: number | null;
                        spansHosts?: boolean;
                        /** @description The network's version as last read; a change since answers FY_VERSION_CONFLICT */
                        version: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                bridge: string;
                                cidr: string | null;
                                dns?: ({
                                    /** @enum {string} */
                                    backend: "embedded";
                                    zone: string;
                                } | {
                                    /** @enum {string} */
                                    backend: "rfc2136";
                                    /** @enum {string} */
                                    keyAlgorithm: "hmac-sha256" | "hmac-sha512";
                                    keyName: string;
                                    port: number;
                                    server: string;
                                    zone: string;
                                }) | null;
                                /** @default [] */
                                excluded: {
                                    first: string;
                                    last: string;
                                }[];
                                gateway: string | null;
                                ipv6?: {
                                    cidr: string;
                                    /** @default [] */
                                    excluded: {
                                        first: string;
                                        last: string;
                                    }[];
                                    gateway: string;
                                } | null;
                                mtu?: number;
                                /** @enum {string} */
                                origin?: "configuration" | "admin" | "tenant";
                                tenant?: {
                                    id: string;
                                    /** @enum {string} */
                                    kind: "user" | "group";
                                } | null;
                                vxlan?: {
                                    vni: number;
                                } | null;
                            };
                            status: Record<string, never>;
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/networks/{id}/addresses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Address use of a network: every held address with its appliance, and the size, used and free count of each pool */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ipv4: {
                                free: string;
                                /** @description Addresses the pool can hand out (a decimal integer: an IPv6 pool is larger than a JSON number holds) */
                                size: string;
                                used: number;
                            } | null;
                            ipv6: {
                                free: string;
                                /** @description Addresses the pool can hand out (a decimal integer: an IPv6 pool is larger than a JSON number holds) */
                                size: string;
                                used: number;
                            } | null;
                            items: {
                                address: string;
                                applianceId: string;
                                applianceName: string | null;
                                /** @enum {string} */
                                family: "ipv4" | "ipv6";
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/networks/{id}/dns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A network's DNS zone: every appliance's records on it */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The network's DNS backend; null: no DNS */
                            backend: ("embedded" | "rfc2136") | null;
                            /** @description Every appliance's records on the network */
                            records: {
                                applianceId: string;
                                /** @description Fully qualified, without the trailing dot */
                                name: string;
                                network: string;
                                /** @enum {string} */
                                type: "A" | "AAAA" | "PTR";
                                /** @description An address (A, AAAA) or the name it points back to (PTR) */
                                value: string;
                                /** @description The zone that holds it: the network's, or for PTR the reverse zone of its prefix */
                                zone: string;
                            }[];
                            zone: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/power/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The power plan: which hosts sleep, which wake, why, and the host-hours saved (admin) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            at: string;
                            /** @description Whether the power manager acts (FLEETYARD_POWER_MANAGEMENT=on); the plan is shown either way */
                            enabled: boolean;
                            /** @description Host-hours spent powered off in all: the energy the power manager saved */
                            hostHoursOff: number;
                            hosts: {
                                /**
                                 * @description What the power manager does with the host at its next pass
                                 * @enum {string}
                                 */
                                action: "off" | "on" | "take-back" | "none";
                                /** @description Its boot time, measured the last time it was woken */
                                bootMs: number | null;
                                failures: number;
                                host: string;
                                hostId: string;
                                lastError: string | null;
                                nextTryAt: string | null;
                                /** @description Hours it has spent powered off by the power manager */
                                offHours: number;
                                reason: string;
                                /** @description When the host entered its power state (null: never acted on) */
                                since: string | null;
                                /** @enum {string} */
                                state: "awake" | "powering-off" | "off" | "powering-on" | "not-live";
                            }[];
                            settings: {
                                bootTimeoutMs: number;
                                defaultBootMs: number;
                                idleMs: number;
                                leadMs: number;
                                spareHosts: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List products (users see the enabled ones) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    name?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    configGroups?: string[];
                                    description: string;
                                    enabled: boolean;
                                    haAllowed: boolean;
                                    imageId: string;
                                    kernelId: string | null;
                                    placementPolicy?: ("spread" | "pack" | "energy-aware") | null;
                                    /** @enum {string} */
                                    privateNetwork?: "user" | "group";
                                    sizes: {
                                        cpu: number;
                                        diskMiB: number;
                                        memoryMiB: number;
                                        name: string;
                                    }[];
                                    virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                                };
                                status: Record<string, never>;
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Define a product (admin) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "name": "web-server",
                     *       "description": "A small web server",
                     *       "imageId": "019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b",
                     *       "sizes": [
                     *         {
                     *           "name": "small",
                     *           "cpu": 1,
                     *           "memoryMiB": 256,
                     *           "diskMiB": 1024
                     *         },
                     *         {
                     *           "name": "large",
                     *           "cpu": 4,
                     *           "memoryMiB": 4096,
                     *           "diskMiB": 20480
                     *         }
                     *       ],
                     *       "virtualizations": [
                     *         "container",
                     *         "qemu"
                     *       ],
                     *       "haAllowed": false
                     *     }
                     */
                    "application/json": {
                        /** @description Configuration groups every appliance of the product gets, in order */
                        configGroups?: string[];
                        description?: string;
                        enabled?: boolean;
                        haAllowed?: boolean;
                        imageId: string;
                        kernelId?: string | null;
                        name: string;
                        /** @description How its units' hosts are chosen: spread, pack or energy-aware; null: the installation's */
                        placementPolicy?: ("spread" | "pack" | "energy-aware") | null;
                        sizes: {
                            cpu: number;
                            diskMiB: number;
                            memoryMiB: number;
                            name: string;
                        }[];
                        virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                configGroups?: string[];
                                description: string;
                                enabled: boolean;
                                haAllowed: boolean;
                                imageId: string;
                                kernelId: string | null;
                                placementPolicy?: ("spread" | "pack" | "energy-aware") | null;
                                /** @enum {string} */
                                privateNetwork?: "user" | "group";
                                sizes: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                    name: string;
                                }[];
                                virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                            };
                            status: Record<string, never>;
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a product */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                configGroups?: string[];
                                description: string;
                                enabled: boolean;
                                haAllowed: boolean;
                                imageId: string;
                                kernelId: string | null;
                                placementPolicy?: ("spread" | "pack" | "energy-aware") | null;
                                /** @enum {string} */
                                privateNetwork?: "user" | "group";
                                sizes: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                    name: string;
                                }[];
                                virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                            };
                            status: Record<string, never>;
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a product (admin) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Configuration groups every appliance of the product gets, in order */
                        configGroups?: string[];
                        description?: string;
                        enabled?: boolean;
                        haAllowed?: boolean;
                        imageId?: string;
                        kernelId?: string | null;
                        /** @description How its units' hosts are chosen: spread, pack or energy-aware; null: the installation's */
                        placementPolicy?: ("spread" | "pack" | "energy-aware") | null;
                        sizes?: {
                            cpu: number;
                            diskMiB: number;
                            memoryMiB: number;
                            name: string;
                        }[];
                        virtualizations?: ("container" | "qemu" | "physical" | "sim")[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                configGroups?: string[];
                                description: string;
                                enabled: boolean;
                                haAllowed: boolean;
                                imageId: string;
                                kernelId: string | null;
                                placementPolicy?: ("spread" | "pack" | "energy-aware") | null;
                                /** @enum {string} */
                                privateNetwork?: "user" | "group";
                                sizes: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                    name: string;
                                }[];
                                virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                            };
                            status: Record<string, never>;
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/quotas/{kind}/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show the quota of a user or group and what they use now */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    kind: "users" | "groups";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            limits: {
                                appliances: number | null;
                                ccuPerMonth: number | null;
                                cpu: number | null;
                                diskMiB: number | null;
                                memoryMiB: number | null;
                            };
                            /** @enum {string} */
                            subject: "user" | "group";
                            /** @description What the user (or the group's members) hold or were promised now, as the quota counts it */
                            used: {
                                appliances: number;
                                /** @description CCU spent this month (a group: its members') */
                                ccuPerMonth: number;
                                cpu: number;
                                diskMiB: number;
                                memoryMiB: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Set the quota of a user or group (admin) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    kind: "users" | "groups";
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        appliances?: number | null;
                        ccuPerMonth?: number | null;
                        cpu?: number | null;
                        diskMiB?: number | null;
                        memoryMiB?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            limits: {
                                appliances: number | null;
                                ccuPerMonth: number | null;
                                cpu: number | null;
                                diskMiB: number | null;
                                memoryMiB: number | null;
                            };
                            /** @enum {string} */
                            subject: "user" | "group";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List resources (hosts, the physical servers they boot, and the slots placed on them) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    hostId?: string;
                    limit?: number;
                    name?: string;
                    /** @description host: machines running an agent; server: physical machines a host network-boots; slot: VMs and containers placed on a host */
                    role?: "host" | "server" | "slot";
                    type?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    bmc?: {
                                        address: string;
                                        passwordSealed: string;
                                        port: number;
                                        user: string;
                                    } | null;
                                    capacity: {
                                        cpu: number;
                                        diskMiB: number;
                                        memoryMiB: number;
                                    };
                                    hostId: string | null;
                                    labels: {
                                        [key: string]: string;
                                    };
                                    mac?: string | null;
                                    /** @enum {string} */
                                    type: "physical" | "vm" | "container";
                                    virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                                    wakeOnLan?: {
                                        address: string;
                                        mac: string;
                                        port: number;
                                    } | null;
                                };
                                status: {
                                    address: string | null;
                                    applianceId: string | null;
                                    facts: {
                                        [key: string]: unknown;
                                    };
                                    lastHeartbeatAt: string | null;
                                    lease?: {
                                        durationMs: number;
                                        epoch: number;
                                        expiresAt: string | null;
                                        fencedBy: ("bmc" | "admin") | null;
                                        signals: {
                                            bmc: ("on" | "off" | "unreachable" | "none") | null;
                                            checkedAt: string | null;
                                            peers: {
                                                hostId: string;
                                                reachable: boolean;
                                            }[];
                                        };
                                        since: string;
                                        /** @enum {string} */
                                        state: "live" | "expired" | "unresponsive" | "fencing" | "fence-failed" | "fenced";
                                        waitingFor: string | null;
                                    };
                                    power?: {
                                        bootMs: number | null;
                                        failures: number;
                                        lastError: string | null;
                                        nextTryAt: string | null;
                                        offMs: number;
                                        reason: string;
                                        shutdownAt?: string | null;
                                        since: string;
                                        /** @enum {string} */
                                        state: "awake" | "powering-off" | "off" | "powering-on";
                                    };
                                    /** @enum {string} */
                                    powerState: "on" | "off" | "unknown";
                                    /** @enum {string} */
                                    state: "active" | "idle" | "off" | "error" | "unknown";
                                };
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Register a physical server (its BMC password is sealed at rest and never shown again) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        bmc: {
                            address: string;
                            password: string;
                            port?: number;
                            user: string;
                        };
                        capacity: {
                            cpu: number;
                            diskMiB: number;
                            memoryMiB: number;
                        };
                        /** @description The host whose boot service network-boots this server */
                        hostId: string;
                        labels?: {
                            [key: string]: string;
                        };
                        mac: string;
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                bmc?: {
                                    address: string;
                                    passwordSealed: string;
                                    port: number;
                                    user: string;
                                } | null;
                                capacity: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                };
                                hostId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                mac?: string | null;
                                /** @enum {string} */
                                type: "physical" | "vm" | "container";
                                virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                                wakeOnLan?: {
                                    address: string;
                                    mac: string;
                                    port: number;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                applianceId: string | null;
                                facts: {
                                    [key: string]: unknown;
                                };
                                lastHeartbeatAt: string | null;
                                lease?: {
                                    durationMs: number;
                                    epoch: number;
                                    expiresAt: string | null;
                                    fencedBy: ("bmc" | "admin") | null;
                                    signals: {
                                        bmc: ("on" | "off" | "unreachable" | "none") | null;
                                        checkedAt: string | null;
                                        peers: {
                                            hostId: string;
                                            reachable: boolean;
                                        }[];
                                    };
                                    since: string;
                                    /** @enum {string} */
                                    state: "live" | "expired" | "unresponsive" | "fencing" | "fence-failed" | "fenced";
                                    waitingFor: string | null;
                                };
                                power?: {
                                    bootMs: number | null;
                                    failures: number;
                                    lastError: string | null;
                                    nextTryAt: string | null;
                                    offMs: number;
                                    reason: string;
                                    shutdownAt?: string | null;
                                    since: string;
                                    /** @enum {string} */
                                    state: "awake" | "powering-off" | "off" | "powering-on";
                                };
                                /** @enum {string} */
                                powerState: "on" | "off" | "unknown";
                                /** @enum {string} */
                                state: "active" | "idle" | "off" | "error" | "unknown";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a resource */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                bmc?: {
                                    address: string;
                                    passwordSealed: string;
                                    port: number;
                                    user: string;
                                } | null;
                                capacity: {
                                    cpu: number;
                                    diskMiB: number;
                                    memoryMiB: number;
                                };
                                hostId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                mac?: string | null;
                                /** @enum {string} */
                                type: "physical" | "vm" | "container";
                                virtualizations: ("container" | "qemu" | "physical" | "sim")[];
                                wakeOnLan?: {
                                    address: string;
                                    mac: string;
                                    port: number;
                                } | null;
                            };
                            status: {
                                address: string | null;
                                applianceId: string | null;
                                facts: {
                                    [key: string]: unknown;
                                };
                                lastHeartbeatAt: string | null;
                                lease?: {
                                    durationMs: number;
                                    epoch: number;
                                    expiresAt: string | null;
                                    fencedBy: ("bmc" | "admin") | null;
                                    signals: {
                                        bmc: ("on" | "off" | "unreachable" | "none") | null;
                                        checkedAt: string | null;
                                        peers: {
                                            hostId: string;
                                            reachable: boolean;
                                        }[];
                                    };
                                    since: string;
                                    /** @enum {string} */
                                    state: "live" | "expired" | "unresponsive" | "fencing" | "fence-failed" | "fenced";
                                    waitingFor: string | null;
                                };
                                power?: {
                                    bootMs: number | null;
                                    failures: number;
                                    lastError: string | null;
                                    nextTryAt: string | null;
                                    offMs: number;
                                    reason: string;
                                    shutdownAt?: string | null;
                                    since: string;
                                    /** @enum {string} */
                                    state: "awake" | "powering-off" | "off" | "powering-on";
                                };
                                /** @enum {string} */
                                powerState: "on" | "off" | "unknown";
                                /** @enum {string} */
                                state: "active" | "idle" | "off" | "error" | "unknown";
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Remove a physical server (refused while an appliance runs on it) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stacks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List stacks (cloud users see their own) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    ownerId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["StackListItem"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stacks/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a stack: its document and its instances' current states */
        get: {
            parameters: {
                query?: {
                    /** @description Admins: another user's stack */
                    ownerId?: string;
                };
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StackDetail"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Apply a stack by name (its metadata.name must be the name in the path) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "yaml": "apiVersion: fleetyard.io/v1\nkind: Stack\nmetadata:\n  name: shop\nspec:\n  hours: 24\n  appliances:\n    - name: web\n      product: webserver\n      size: small\n      count: 2\n    - name: db\n      product: postgres\n      size: medium\n  links:\n    - from: web\n      to: db\n"
                     *     }
                     */
                    "application/json": {
                        /** @description Apply only if the stack is still at this version (0: only if it does not exist yet) */
                        version?: number;
                        /** @description The stack document as YAML (see docs/stacks.md) */
                        yaml: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StackApplyResult"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Delete a stack: cancel its requests or delete its appliances, then forget it */
        delete: {
            parameters: {
                query?: {
                    /** @description Admins: another user's stack */
                    ownerId?: string;
                };
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StackDeleteResult"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stacks/apply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Apply a stack: carry out its plan (cloud requests for cloud users, appliances for admins) and record the document */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "yaml": "apiVersion: fleetyard.io/v1\nkind: Stack\nmetadata:\n  name: shop\nspec:\n  hours: 24\n  appliances:\n    - name: web\n      product: webserver\n      size: small\n      count: 2\n    - name: db\n      product: postgres\n      size: medium\n  links:\n    - from: web\n      to: db\n"
                     *     }
                     */
                    "application/json": {
                        /** @description Apply only if the stack is still at this version (0: only if it does not exist yet) */
                        version?: number;
                        /** @description The stack document as YAML (see docs/stacks.md) */
                        yaml: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StackApplyResult"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stacks/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Plan a stack: what applying the document would create, change or remove, what it costs per hour, and whether it fits quota and capacity */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "yaml": "apiVersion: fleetyard.io/v1\nkind: Stack\nmetadata:\n  name: shop\nspec:\n  hours: 24\n  appliances:\n    - name: web\n      product: webserver\n      size: small\n      count: 2\n    - name: db\n      product: postgres\n      size: medium\n  links:\n    - from: web\n      to: db\n"
                     *     }
                     */
                    "application/json": {
                        /** @description The stack document as YAML (see docs/stacks.md) */
                        yaml: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StackPlan"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List storages */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    name?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    path: string;
                                    /** @enum {string} */
                                    type: "local";
                                };
                                status: {
                                    imageCount: number;
                                };
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a storage */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                path: string;
                                /** @enum {string} */
                                type: "local";
                            };
                            status: {
                                imageCount: number;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your API tokens (secrets are never shown again) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                expiresAt: string | null;
                                id: string;
                                lastUsedAt: string | null;
                                name: string;
                                revokedAt: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create an API token; the token is shown in this answer only */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The token stops working after this many days (default: never) */
                        expiresInDays?: number;
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            expiresAt: string | null;
                            id: string;
                            name: string;
                            token: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke one of your API tokens */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users (admin) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    groupId?: string;
                    limit?: number;
                    name?: string;
                    role?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                generation: number;
                                id: string;
                                name: string;
                                spec: {
                                    disabled: boolean;
                                    email: string;
                                    groupId: string | null;
                                    pendingEmail?: string | null;
                                    /** @enum {string} */
                                    role: "admin" | "user";
                                    sshPublicKey: string | null;
                                };
                                status: {
                                    lastLoginAt: string | null;
                                };
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a user (admin) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "name": "alice",
                     *       "email": "alice@example.org",
                     *       "role": "user",
                     *       "sshPublicKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop"
                     *     }
                     */
                    "application/json": {
                        /** Format: email */
                        email: string;
                        groupId?: string | null;
                        name: string;
                        /** @description At least 12 characters */
                        password?: string;
                        /** @enum {string} */
                        role?: "admin" | "user";
                        sshPublicKey?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                disabled: boolean;
                                email: string;
                                groupId: string | null;
                                pendingEmail?: string | null;
                                /** @enum {string} */
                                role: "admin" | "user";
                                sshPublicKey: string | null;
                            };
                            status: {
                                lastLoginAt: string | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a user (admin, or yourself) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                disabled: boolean;
                                email: string;
                                groupId: string | null;
                                pendingEmail?: string | null;
                                /** @enum {string} */
                                role: "admin" | "user";
                                sshPublicKey: string | null;
                            };
                            status: {
                                lastLoginAt: string | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a user (admin; users may change their own SSH key, and their e-mail address once they confirm the code mailed to it) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        disabled?: boolean;
                        /** Format: email */
                        email?: string;
                        groupId?: string | null;
                        /** @enum {string} */
                        role?: "admin" | "user";
                        sshPublicKey?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                disabled: boolean;
                                email: string;
                                groupId: string | null;
                                pendingEmail?: string | null;
                                /** @enum {string} */
                                role: "admin" | "user";
                                sshPublicKey: string | null;
                            };
                            status: {
                                lastLoginAt: string | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/users/{id}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a password (admin, or yourself with your current one); ends the user's other sessions */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Required when you change your own password */
                        currentPassword?: string;
                        /** @description At least 12 characters */
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/verify-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm a new e-mail address with the code mailed to it (yourself) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            generation: number;
                            id: string;
                            name: string;
                            spec: {
                                disabled: boolean;
                                email: string;
                                groupId: string | null;
                                pendingEmail?: string | null;
                                /** @enum {string} */
                                role: "admin" | "user";
                                sshPublicKey: string | null;
                            };
                            status: {
                                lastLoginAt: string | null;
                            };
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health check */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            database: string;
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (Authorization: Bearer <the metrics token or an admin API token>) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Dashboard: {
            appliances: {
                byPhase: {
                    [key: string]: number;
                };
                total: number;
            };
            capacity: {
                /** @description What a new appliance could still get on live hosts, reservations held back */
                free: {
                    cpu: number;
                    diskMiB: number;
                    memoryMiB: number;
                };
                /** @description physical: idle servers with a BMC on live boot hosts; null for slot types */
                freeUnits: number | null;
                /** @description Hosts offering it (a host offering two types counts for both) */
                hosts: number;
                liveHosts: number;
                /** @description Promised now to cloud requests on those hosts */
                reserved: {
                    cpu: number;
                    diskMiB: number;
                    memoryMiB: number;
                };
                /** @description What the hosts offering it have, CPUs times the allocation ratio (physical: its servers) */
                total: {
                    cpu: number;
                    diskMiB: number;
                    memoryMiB: number;
                };
                /** @description Appliances placed on it: slots, or physical servers taken */
                units: number;
                used: {
                    cpu: number;
                    diskMiB: number;
                    memoryMiB: number;
                };
                /** @enum {string} */
                virtualization: "container" | "qemu" | "physical" | "sim";
            }[];
            ccu: {
                burnCcuPerHour: string;
                /** @description What every open meter together costs per hour now */
                burnMilliPerHour: number;
                /** @description Debited over the whole series */
                debitedMilli: number;
                hours: number;
                /** @description CCU debited for usage that began in each hour, oldest first, the current hour last */
                series: {
                    debitedMilli: number;
                    /** @description Start of the UTC hour */
                    hour: string;
                }[];
            };
            generatedAt: string;
            /** @description N+1: see GET /ha/plan for every scenario */
            ha: {
                /** @description When the continuous N+1 check last computed this (it follows every change, debounced) */
                checkedAt: string;
                haAppliances: number;
                /** @description Every HA appliance could restart elsewhere whichever single host failed */
                tolerates: boolean;
                /** @description The host whose failure leaves the most HA appliances without a place; null when none would */
                worst: {
                    host: {
                        id: string;
                        name: string;
                    };
                    unplaced: number;
                } | null;
            };
            hosts: {
                byPower: {
                    [key: string]: number;
                };
                byState: {
                    [key: string]: number;
                };
                /** @description Hosts whose lease holds (heartbeat within 30 s) */
                live: number;
                total: number;
            };
            requests: {
                byState: {
                    [key: string]: number;
                };
                total: number;
            };
            /** @description Physical servers booted by the hosts */
            servers: {
                byPower: {
                    [key: string]: number;
                };
                byState: {
                    [key: string]: number;
                };
                inUse: number;
                total: number;
            };
        };
        DashboardInput: {
            appliances: {
                byPhase: {
                    [key: string]: number;
                };
                total: number;
            };
            capacity: {
                /** @description What a new appliance could still get on live hosts, reservations held back */
                free: {
                    cpu: number;
                    diskMiB: number;
                    memoryMiB: number;
                };
                /** @description physical: idle servers with a BMC on live boot hosts; null for slot types */
                freeUnits: number | null;
                /** @description Hosts offering it (a host offering two types counts for both) */
                hosts: number;
                liveHosts: number;
                /** @description Promised now to cloud requests on those hosts */
                reserved: {
                    cpu: number;
                    diskMiB: number;
                    memoryMiB: number;
                };
                /** @description What the hosts offering it have, CPUs times the allocation ratio (physical: its servers) */
                total: {
                    cpu: number;
                    diskMiB: number;
                    memoryMiB: number;
                };
                /** @description Appliances placed on it: slots, or physical servers taken */
                units: number;
                used: {
                    cpu: number;
                    diskMiB: number;
                    memoryMiB: number;
                };
                /** @enum {string} */
                virtualization: "container" | "qemu" | "physical" | "sim";
            }[];
            ccu: {
                burnCcuPerHour: string;
                /** @description What every open meter together costs per hour now */
                burnMilliPerHour: number;
                /** @description Debited over the whole series */
                debitedMilli: number;
                hours: number;
                /** @description CCU debited for usage that began in each hour, oldest first, the current hour last */
                series: {
                    debitedMilli: number;
                    /** @description Start of the UTC hour */
                    hour: string;
                }[];
            };
            generatedAt: string;
            /** @description N+1: see GET /ha/plan for every scenario */
            ha: {
                /** @description When the continuous N+1 check last computed this (it follows every change, debounced) */
                checkedAt: string;
                haAppliances: number;
                /** @description Every HA appliance could restart elsewhere whichever single host failed */
                tolerates: boolean;
                /** @description The host whose failure leaves the most HA appliances without a place; null when none would */
                worst: {
                    host: {
                        id: string;
                        name: string;
                    };
                    unplaced: number;
                } | null;
            };
            hosts: {
                byPower: {
                    [key: string]: number;
                };
                byState: {
                    [key: string]: number;
                };
                /** @description Hosts whose lease holds (heartbeat within 30 s) */
                live: number;
                total: number;
            };
            requests: {
                byState: {
                    [key: string]: number;
                };
                total: number;
            };
            /** @description Physical servers booted by the hosts */
            servers: {
                byPower: {
                    [key: string]: number;
                };
                byState: {
                    [key: string]: number;
                };
                inUse: number;
                total: number;
            };
        };
        Error: {
            error: {
                /** @description Stable FY_… code, see docs/errors.md */
                code: string;
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            };
        };
        ErrorInput: {
            error: {
                /** @description Stable FY_… code, see docs/errors.md */
                code: string;
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            };
        };
        FailureScenario: {
            failed: {
                id: string;
                name: string;
            }[];
            /** @description Non-HA appliances of the failed hosts: marked lost, not restarted */
            lost: {
                applianceId: string;
                from: {
                    id: string;
                    name: string;
                };
                name: string;
            }[];
            /** @description Every displaced HA appliance, in the order the failover places them (ascending id) */
            restarts: {
                applianceId: string;
                fits: boolean;
                from: {
                    id: string;
                    name: string;
                };
                name: string;
                /** @description The scheduler's reason when it fits nowhere */
                reason: string | null;
                /** @description Where it would restart; null when nowhere */
                to: {
                    id: string;
                    name: string;
                } | null;
                virtualization: ("container" | "qemu" | "physical" | "sim") | null;
            }[];
            unplaced: number;
        };
        FailureScenarioInput: {
            failed: {
                id: string;
                name: string;
            }[];
            /** @description Non-HA appliances of the failed hosts: marked lost, not restarted */
            lost: {
                applianceId: string;
                from: {
                    id: string;
                    name: string;
                };
                name: string;
            }[];
            /** @description Every displaced HA appliance, in the order the failover places them (ascending id) */
            restarts: {
                applianceId: string;
                fits: boolean;
                from: {
                    id: string;
                    name: string;
                };
                name: string;
                /** @description The scheduler's reason when it fits nowhere */
                reason: string | null;
                /** @description Where it would restart; null when nowhere */
                to: {
                    id: string;
                    name: string;
                } | null;
                virtualization: ("container" | "qemu" | "physical" | "sim") | null;
            }[];
            unplaced: number;
        };
        HaPlan: {
            generatedAt: string;
            haAppliances: number;
            /**
             * @description given: the hosts of `fail` fail together; each-host: one scenario per live host, that host alone
             * @enum {string}
             */
            mode: "given" | "each-host";
            scenarios: components["schemas"]["FailureScenario"][];
            /** @description Every HA appliance has a place in every scenario */
            tolerates: boolean;
        };
        HaPlanInput: {
            generatedAt: string;
            haAppliances: number;
            /**
             * @description given: the hosts of `fail` fail together; each-host: one scenario per live host, that host alone
             * @enum {string}
             */
            mode: "given" | "each-host";
            scenarios: components["schemas"]["FailureScenarioInput"][];
            /** @description Every HA appliance has a place in every scenario */
            tolerates: boolean;
        };
        Mail: {
            /** @description Sends tried so far */
            attempts: number;
            /** @description The text as sent, with secret values such as a generated password hidden */
            body: string;
            createdAt: string;
            id: string;
            idempotencyKey: string;
            lastError: string | null;
            /** @description The Message-ID the mail was sent with */
            messageId: string | null;
            /** @description When a pending mail is tried next */
            nextAttemptAt: string | null;
            /** @description The object the mail is about, such as a request */
            related: {
                id: string;
                kind: string;
            } | null;
            sentAt: string | null;
            /** @enum {string} */
            state: "pending" | "sent" | "failed";
            subject: string;
            template: string;
            to: string;
        };
        MailInput: {
            /** @description Sends tried so far */
            attempts: number;
            /** @description The text as sent, with secret values such as a generated password hidden */
            body: string;
            createdAt: string;
            id: string;
            idempotencyKey: string;
            lastError: string | null;
            /** @description The Message-ID the mail was sent with */
            messageId: string | null;
            /** @description When a pending mail is tried next */
            nextAttemptAt: string | null;
            /** @description The object the mail is about, such as a request */
            related: {
                id: string;
                kind: string;
            } | null;
            sentAt: string | null;
            /** @enum {string} */
            state: "pending" | "sent" | "failed";
            subject: string;
            template: string;
            to: string;
        };
        PrometheusTargetGroup: {
            /** @description __meta_fleetyard_appliance_id, _appliance_name, _host, _owner, _virtualization, _phase, _network, _label_<key> */
            labels: {
                [key: string]: string;
            };
            /** @description `<address>:<port>`, the port from the label fleetyard.io/metrics-port (default 9100) */
            targets: string[];
        };
        PrometheusTargetGroupInput: {
            /** @description __meta_fleetyard_appliance_id, _appliance_name, _host, _owner, _virtualization, _phase, _network, _label_<key> */
            labels: {
                [key: string]: string;
            };
            /** @description `<address>:<port>`, the port from the label fleetyard.io/metrics-port (default 9100) */
            targets: string[];
        };
        StackApplyResult: {
            done: {
                /** @enum {string} */
                action: "create" | "keep" | "change" | "remove";
                id: string;
                /** @enum {string} */
                kind: "request" | "appliance";
                member: string;
                ordinal: number;
            }[];
            plan: components["schemas"]["StackPlan"];
            stack: components["schemas"]["StackRecord"];
        };
        StackApplyResultInput: {
            done: {
                /** @enum {string} */
                action: "create" | "keep" | "change" | "remove";
                id: string;
                /** @enum {string} */
                kind: "request" | "appliance";
                member: string;
                ordinal: number;
            }[];
            plan: components["schemas"]["StackPlanInput"];
            stack: components["schemas"]["StackRecordInput"];
        };
        StackDeleteResult: {
            removed: {
                id: string;
                /** @enum {string} */
                kind: "request" | "appliance";
                member: string;
                ordinal: number;
            }[];
            stack: components["schemas"]["StackRecord"];
        };
        StackDeleteResultInput: {
            removed: {
                id: string;
                /** @enum {string} */
                kind: "request" | "appliance";
                member: string;
                ordinal: number;
            }[];
            stack: components["schemas"]["StackRecordInput"];
        };
        StackDetail: {
            createdAt: string;
            id: string;
            instances: {
                /** @enum {string} */
                kind: "request" | "appliance";
                member: string;
                object: {
                    address: string | null;
                    applianceIds: string[];
                    id: string;
                    name: string;
                    reason: string | null;
                    state: ("new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity") | ("pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost");
                } | null;
                ordinal: number;
            }[];
            name: string;
            ownerId: string;
            updatedAt: string;
            version: number;
            yaml: string;
        };
        StackDetailInput: {
            createdAt: string;
            id: string;
            instances: {
                /** @enum {string} */
                kind: "request" | "appliance";
                member: string;
                object: {
                    address: string | null;
                    applianceIds: string[];
                    id: string;
                    name: string;
                    reason: string | null;
                    state: ("new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity") | ("pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost");
                } | null;
                ordinal: number;
            }[];
            name: string;
            ownerId: string;
            updatedAt: string;
            version: number;
            yaml: string;
        };
        StackListItem: {
            createdAt: string;
            id: string;
            instances: number;
            name: string;
            ownerId: string;
            updatedAt: string;
            version: number;
        };
        StackListItemInput: {
            createdAt: string;
            id: string;
            instances: number;
            name: string;
            ownerId: string;
            updatedAt: string;
            version: number;
        };
        StackPlan: {
            capacity: {
                fits: boolean;
                reason: string | null;
            };
            changes: boolean;
            fits: boolean;
            instances: {
                /** @enum {string} */
                action: "create" | "keep" | "change" | "remove";
                ccuPerHour: number;
                changes: {
                    /** @enum {string} */
                    field: "product" | "size" | "virtualization" | "network" | "ha";
                    from: string | boolean | null;
                    to: string | boolean | null;
                }[];
                current: {
                    address: string | null;
                    applianceIds: string[];
                    id: string;
                    name: string;
                    reason: string | null;
                    state: ("new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity") | ("pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost");
                } | null;
                how: ("move" | "replace") | null;
                /** @enum {string} */
                kind: "request" | "appliance";
                member: string;
                ordinal: number;
            }[];
            links: {
                from: string;
                to: string;
            }[];
            members: {
                ccuPerHour: number;
                count: number;
                ha: boolean;
                image: {
                    id: string;
                    name: string;
                };
                kernelId: string | null;
                moreNetworks?: string[];
                name: string;
                network: string;
                product: string;
                productId: string;
                size: {
                    cpu: number;
                    diskMiB: number;
                    memoryMiB: number;
                    name: string;
                };
                /** @enum {string} */
                virtualization: "container" | "qemu" | "physical" | "sim";
            }[];
            /** @enum {string} */
            mode: "requests" | "appliances";
            price: {
                ccuPerHour: number;
                changeCcuPerHour: number;
                createdTotalCcu: number | null;
                currency: {
                    ccuPerUnit: number;
                    code: string;
                    perHour: number;
                };
                currentCcuPerHour: number;
            };
            quota: {
                breach: string | null;
                fits: boolean;
                group: {
                    appliances: number | null;
                    ccuPerMonth: number | null;
                    cpu: number | null;
                    diskMiB: number | null;
                    memoryMiB: number | null;
                } | null;
                user: {
                    appliances: number | null;
                    ccuPerMonth: number | null;
                    cpu: number | null;
                    diskMiB: number | null;
                    memoryMiB: number | null;
                };
            } | null;
            reasons: string[];
            stack: {
                id: string | null;
                name: string;
                ownerId: string;
                version: number | null;
            };
            summary: {
                change: number;
                create: number;
                keep: number;
                remove: number;
            };
            window: {
                endAt: string;
                startAt: string;
            } | null;
            yaml: string;
        };
        StackPlanInput: {
            capacity: {
                fits: boolean;
                reason: string | null;
            };
            changes: boolean;
            fits: boolean;
            instances: {
                /** @enum {string} */
                action: "create" | "keep" | "change" | "remove";
                ccuPerHour: number;
                changes: {
                    /** @enum {string} */
                    field: "product" | "size" | "virtualization" | "network" | "ha";
                    from: string | boolean | null;
                    to: string | boolean | null;
                }[];
                current: {
                    address: string | null;
                    applianceIds: string[];
                    id: string;
                    name: string;
                    reason: string | null;
                    state: ("new" | "approved" | "provisioning" | "active" | "paused" | "deprovisioning" | "done" | "denied" | "failed" | "no-capacity") | ("pending" | "starting" | "running" | "stopping" | "stopped" | "failed" | "deleting" | "moving" | "lost");
                } | null;
                how: ("move" | "replace") | null;
                /** @enum {string} */
                kind: "request" | "appliance";
                member: string;
                ordinal: number;
            }[];
            links: {
                from: string;
                to: string;
            }[];
            members: {
                ccuPerHour: number;
                count: number;
                ha: boolean;
                image: {
                    id: string;
                    name: string;
                };
                kernelId: string | null;
                moreNetworks?: string[];
                name: string;
                network: string;
                product: string;
                productId: string;
                size: {
                    cpu: number;
                    diskMiB: number;
                    memoryMiB: number;
                    name: string;
                };
                /** @enum {string} */
                virtualization: "container" | "qemu" | "physical" | "sim";
            }[];
            /** @enum {string} */
            mode: "requests" | "appliances";
            price: {
                ccuPerHour: number;
                changeCcuPerHour: number;
                createdTotalCcu: number | null;
                currency: {
                    ccuPerUnit: number;
                    code: string;
                    perHour: number;
                };
                currentCcuPerHour: number;
            };
            quota: {
                breach: string | null;
                fits: boolean;
                group: {
                    appliances: number | null;
                    ccuPerMonth: number | null;
                    cpu: number | null;
                    diskMiB: number | null;
                    memoryMiB: number | null;
                } | null;
                user: {
                    appliances: number | null;
                    ccuPerMonth: number | null;
                    cpu: number | null;
                    diskMiB: number | null;
                    memoryMiB: number | null;
                };
            } | null;
            reasons: string[];
            stack: {
                id: string | null;
                name: string;
                ownerId: string;
                version: number | null;
            };
            summary: {
                change: number;
                create: number;
                keep: number;
                remove: number;
            };
            window: {
                endAt: string;
                startAt: string;
            } | null;
            yaml: string;
        };
        StackRecord: {
            createdAt: string;
            id: string;
            name: string;
            ownerId: string;
            updatedAt: string;
            version: number;
        };
        StackRecordInput: {
            createdAt: string;
            id: string;
            name: string;
            ownerId: string;
            updatedAt: string;
            version: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
