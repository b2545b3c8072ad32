# A throwaway NixOS configuration with a hive, for the check on real NixOS
# (docs/nixos.md, "Checking it on NixOS"). From the repository root:
#   nix-instantiate '<nixpkgs/nixos>' -A system -I nixos-config=nix/tests/vm.nix   # evaluate everything
#   nix-build '<nixpkgs/nixos>' -A vm -I nixos-config=nix/tests/vm.nix            # build a VM
#   QEMU_NET_OPTS= ./result/bin/run-hivehost-vm                                   # log in as admin / admin
{ pkgs, ... }:
{
  imports = [ ../module.nix ];

  networking.hostName = "hivehost";

  services.hyperhive = {
    enable = true;
    adminUsers = [ "admin" ];
    containers.natInterface = "eth0";
    settings = {
      manager = "manager";
      agents.manager.model = "haiku";
    };
  };

  users.users.admin = {
    isNormalUser = true;
    password = "admin";
  };
  services.getty.autologinUser = "admin";
  virtualisation.vmVariant.virtualisation = {
    memorySize = 2048;
    diskSize = 8192;
  };

  system.stateVersion = "24.11";
}
