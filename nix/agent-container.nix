# The NixOS configuration of one agent's container. hyperhive-core's
# nixos-container backend writes <state>/containers/<container>.nix, which
# calls this function with the agent's spec, and hands that file to
# `nixos-container create/update --config-file`:
#   { agent, container, argv, environment, extra_module }
# argv is the harness command line as seen inside the container (socket
# /run/hive/mcp.sock, state /state); the backend bind-mounts those paths.
spec:
{ lib, ... }:
{
  imports = lib.optional (spec.extra_module != null) (/. + spec.extra_module);

  systemd.services.hyperhive-agent = {
    description = "hyperhive agent ${spec.agent}";
    wantedBy = [ "multi-user.target" ];
    wants = [ "network-online.target" ];
    after = [ "network-online.target" ];
    # Packages an extra module adds to environment.systemPackages are on the harness's PATH.
    path = [ "/run/current-system/sw" ];
    environment = spec.environment;
    script = "exec ${lib.escapeShellArgs spec.argv}";
    serviceConfig = {
      # The harness exits 0 when asked to stop and 75 when asked to restart.
      Restart = "on-failure";
      RestartSec = 2;
      WorkingDirectory = "/state";
    };
  };
}
