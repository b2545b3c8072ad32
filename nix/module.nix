# services.hyperhive: a hive of Claude-driven agents on one NixOS host.
# What each option does, how to add an admin and how to attach: docs/nixos.md.
{ config, lib, pkgs, ... }:

let
  inherit (lib) mkEnableOption mkIf mkMerge mkOption optional optionalAttrs optionals types;

  cfg = config.services.hyperhive;
  json = pkgs.formats.json { };

  containers = cfg.backend == "nixos-container";
  # Under the process (and external) backend the core and every agent it starts run as this user, never root.
  user = if containers then "root" else "hyperhive";

  loopback = listen: lib.hasPrefix "127." listen || lib.hasPrefix "[::1]:" listen || lib.hasPrefix "localhost:" listen;
  listenPort = listen: lib.toInt (lib.last (lib.splitString ":" listen));

  # systemd hands the token file to the unit here (LoadCredential), readable by the service user only.
  credentialsDir = "/run/credentials/hyperhive-core.service";

  # Directories nixos-container writes to; they must exist for ReadWritePaths under ProtectSystem=strict.
  containerDirs = {
    "/etc/nixos-containers" = "0755";
    "/var/lib/nixos-containers" = "0700";
    "/nix/var/nix/profiles/per-container" = "0700";
    "/nix/var/nix/gcroots/per-container" = "0755";
  };

  # Settings the options below own win over `settings`; the rest of `settings` wins over these defaults.
  defaults = {
    name = config.networking.hostName;
  } // optionalAttrs containers {
    nixos_container = {
      # Containers are built from the nixpkgs this system is built from.
      nixos_path = "${pkgs.path}/nixos";
    } // optionalAttrs (cfg.containers.extraModule != null) {
      agent_module = "${cfg.containers.extraModule}";
    };
  };
  owned = {
    backend = cfg.backend;
    socket_group = cfg.socketGroup;
    http = {
      listen = if cfg.http.listen == null then "off" else cfg.http.listen;
    } // optionalAttrs (cfg.http.tokenFile != null) {
      token_file = "${credentialsDir}/http-token";
    };
  };
  hiveConfig = lib.recursiveUpdate (lib.recursiveUpdate defaults cfg.settings) owned;
  configFile = json.generate "hyperhive.json" hiveConfig;

  # A state or runtime dir under /var/lib or /run is systemd's to create (StateDirectory, RuntimeDirectory);
  # one elsewhere gets a tmpfiles rule.
  underDir = base: dir: lib.hasPrefix "${base}/" dir;
  relativeTo = base: dir: lib.removePrefix "${base}/" dir;
in
{
  options.services.hyperhive = {
    enable = mkEnableOption "hyperhive, a hive of Claude-driven agents steered from one console";

    package = mkOption {
      type = types.package;
      default = pkgs.callPackage ./package.nix { };
      defaultText = lib.literalExpression "pkgs.callPackage ./nix/package.nix { }";
      description = "The hyperhive package (its four programs). Set its npmDepsHash as nix/package.nix says.";
    };

    settings = mkOption {
      type = json.type;
      default = { };
      example = lib.literalExpression ''
        {
          manager = "manager";
          agent_template.command = [ "''${pkgs.claude-code}/bin/claude" ];
          agents.manager = { model = "sonnet"; command = [ "''${pkgs.claude-code}/bin/claude" ]; };
        }
      '';
      description = ''
        The hive config (the JSON file hyperhive-core reads, keys in snake_case),
        written to the Nix store and validated by hyperhive-core when it starts.
        `backend`, `socket_group` and `http` come from the options of this module;
        `name` defaults to the host name.
      '';
    };

    stateDir = mkOption {
      type = types.path;
      default = "/var/lib/hyperhive";
      description = "The hive's state: its sqlite store and each agent's state dir.";
    };

    runtimeDir = mkOption {
      type = types.path;
      default = "/run/hyperhive";
      description = "Where the sockets are: host.sock, host-ro.sock and agents/<name>/mcp.sock.";
    };

    http.listen = mkOption {
      type = types.nullOr types.str;
      default = "127.0.0.1:7000";
      example = "0.0.0.0:7000";
      description = "HOST:PORT of the HTTP + SSE API; null turns it off. A non-loopback address needs http.tokenFile.";
    };

    http.tokenFile = mkOption {
      type = types.nullOr types.path;
      default = null;
      example = "/run/secrets/hyperhive-token";
      description = "A file holding the bearer token that allows approving and answering over HTTP. Read by systemd, so it may be readable by root only.";
    };

    adminUsers = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "alice" ];
      description = "Users who may steer the hive: they join socketGroup, which owns host.sock.";
    };

    socketGroup = mkOption {
      type = types.str;
      default = "hive-admin";
      description = "The group that owns host.sock and host-ro.sock (mode 0660).";
    };

    backend = mkOption {
      type = types.enum [ "nixos-container" "process" "external" ];
      default = "nixos-container";
      description = ''
        How agents run: "nixos-container" (each in a NixOS container, the core runs as root to drive
        nixos-container), "process" (child processes of the core, which runs as the hyperhive user),
        or "external" (started by someone else; the core runs as the hyperhive user).
      '';
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Open http.listen's port in the firewall.";
    };

    containers.extraModule = mkOption {
      type = types.nullOr types.path;
      default = null;
      example = lib.literalExpression "./hive-agent.nix";
      description = "A NixOS module imported into every agent's container (packages the agents need, for instance).";
    };

    containers.natInterface = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "eth0";
      description = ''
        The host interface agent containers reach the internet through (NAT from their ve-h-* interfaces).
        Claude needs the Anthropic API; null leaves networking.nat to you.
      '';
    };
  };

  config = mkIf cfg.enable (mkMerge [
    {
      assertions = [
        {
          assertion = cfg.http.listen == null || loopback cfg.http.listen || cfg.http.tokenFile != null;
          message = "services.hyperhive.http.listen = \"${toString cfg.http.listen}\" is not a loopback address; set services.hyperhive.http.tokenFile, or listen on 127.0.0.1.";
        }
        {
          assertion = !(lib.hasInfix " " cfg.stateDir || lib.hasInfix " " cfg.runtimeDir);
          message = "services.hyperhive.stateDir and runtimeDir must not contain spaces (they are bind-mounted into containers).";
        }
      ];
      warnings = optional (cfg.openFirewall && (cfg.http.listen == null || loopback cfg.http.listen))
        "services.hyperhive.openFirewall opens nothing: http.listen is ${if cfg.http.listen == null then "off" else "loopback"}.";

      users.groups.${cfg.socketGroup}.members = cfg.adminUsers;

      # hyperhive-tui and the hyperhive ctl (with the core and the harness) on every admin's PATH,
      # pointed at this hive's socket in every login, ssh included.
      environment.systemPackages = [ cfg.package ];
      environment.sessionVariables.HYPERHIVE_SOCKET = "${cfg.runtimeDir}/host.sock";
      environment.etc."hyperhive/hive.json".source = configFile;

      systemd.tmpfiles.rules =
        optional (!underDir "/var/lib" cfg.stateDir) "d ${cfg.stateDir} 0750 ${user} ${user} - -"
        ++ optional (!underDir "/run" cfg.runtimeDir) "d ${cfg.runtimeDir} 0751 ${user} ${user} - -"
        ++ optionals containers (lib.mapAttrsToList (dir: mode: "d ${dir} ${mode} root root - -") containerDirs);

      systemd.services.hyperhive-core = {
        description = "hyperhive core: the hive's store, broker, approvals and agent supervisor";
        wantedBy = [ "multi-user.target" ];
        after = [ "network.target" ] ++ optional containers "nix-daemon.socket";
        wants = optional containers "nix-daemon.socket";
        # nixos-container runs nix-env, systemctl, machinectl, chattr and umount.
        path = optionals containers [ pkgs.nixos-container config.nix.package pkgs.e2fsprogs pkgs.util-linux ];
        environment = {
          # ProtectHome hides /root and /home: claude (process backend) and nix keep their files here.
          HOME = cfg.stateDir;
        } // optionalAttrs containers {
          NIX_REMOTE = "daemon";
        };
        serviceConfig = {
          ExecStart = "${cfg.package}/bin/hyperhive-core --config ${configFile} --state-dir ${cfg.stateDir} --runtime-dir ${cfg.runtimeDir}";
          Restart = "on-failure";
          RestartSec = 5;
          User = user;
          Group = user;
          SupplementaryGroups = [ cfg.socketGroup ];
          UMask = "0027";
          # Containers keep their bind mount of <runtime>/agents/<name> across a restart of the core.
          RuntimeDirectoryPreserve = "restart";
          LoadCredential = optional (cfg.http.tokenFile != null) "http-token:${cfg.http.tokenFile}";

          NoNewPrivileges = true;
          ProtectSystem = "strict";
          ReadWritePaths = [ cfg.stateDir cfg.runtimeDir ] ++ optionals containers (lib.attrNames containerDirs ++ [ "/run/lock" ]);
          ProtectHome = true;
          PrivateTmp = true;
          PrivateDevices = true;
          ProtectKernelTunables = true;
          ProtectKernelModules = true;
          ProtectKernelLogs = true;
          ProtectControlGroups = true;
          ProtectClock = true;
          ProtectHostname = true;
          RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" ];
          RestrictNamespaces = true;
          RestrictRealtime = true;
          RestrictSUIDSGID = true;
          LockPersonality = true;
          SystemCallArchitectures = "native";
          SystemCallFilter = [ "@system-service" ];
          SystemCallErrorNumber = "EPERM";
          # Off on purpose: node's V8 compiles JavaScript at run time into memory it then makes
          # executable, which MemoryDenyWriteExecute forbids (the core would die at start).
          MemoryDenyWriteExecute = false;
        } // optionalAttrs (underDir "/var/lib" cfg.stateDir) {
          StateDirectory = relativeTo "/var/lib" cfg.stateDir;
          StateDirectoryMode = "0750";
        } // optionalAttrs (underDir "/run" cfg.runtimeDir) {
          RuntimeDirectory = relativeTo "/run" cfg.runtimeDir;
          RuntimeDirectoryMode = "0751";
        } // optionalAttrs (!containers) {
          # An unprivileged user needs no capabilities at all.
          CapabilityBoundingSet = [ "" ];
          AmbientCapabilities = [ "" ];
        };
      };
    }

    (mkIf (!containers) {
      users.users.hyperhive = {
        isSystemUser = true;
        group = "hyperhive";
        home = cfg.stateDir;
        description = "hyperhive core and agents";
      };
      users.groups.hyperhive = { };
    })

    (mkIf containers {
      boot.enableContainers = true;
      networking.nat = mkIf (cfg.containers.natInterface != null) {
        enable = true;
        internalInterfaces = [ "ve-h-+" ];
        externalInterface = cfg.containers.natInterface;
      };
    })

    (mkIf (cfg.openFirewall && cfg.http.listen != null) {
      networking.firewall.allowedTCPPorts = [ (listenPort cfg.http.listen) ];
    })
  ]);
}
