# Evaluates a NixOS module the way the module system would for the parts
# nix/module.nix uses, against stub.nix: option values are the configuration's
# (type-checked) or the defaults, and mkIf/mkMerge/mkDefault in the module's
# config are resolved, merging attribute sets and concatenating lists.
#   nix-instantiate --eval --strict --json nix/tests/eval-module.nix \
#     --arg configuration '{ services.hyperhive.enable = true; }'
{
  module ? ../module.nix,
  configuration ? { },
  # What the rest of a NixOS system would provide.
  system ? { networking.hostName = "hivehost"; nix.package = { outPath = "/nix/store/00000000000000000000000000000000-nix"; }; },
}:
let
  inherit (builtins) attrNames concatStringsSep filter foldl' isAttrs isList listToAttrs mapAttrs typeOf;
  stub = import ./stub.nix;

  isOption = v: isAttrs v && (v._type or null) == "option";

  # The value of every declared option: from `given` (checked against its type), else its default.
  optionValues = prefix: options: given:
    mapAttrs (name: option:
      let
        path = "${prefix}.${name}";
        has = isAttrs given && given ? ${name};
      in
      if isOption option then
        if has then
          (if option.type.check given.${name} then given.${name} else throw "option ${path}: ${builtins.toJSON given.${name}} is not a ${option.type.name}")
        else if option ? default then option.default
        else throw "option ${path} has no value and no default"
      else optionValues path option (if has then given.${name} else { })
    ) options;

  # Every name set in `given` must be a declared option.
  undeclared = prefix: options: given:
    concatStringsSep "" (map (name:
      if !(options ? ${name}) then "${prefix}.${name} "
      else if isOption options.${name} then ""
      else undeclared "${prefix}.${name}" options.${name} given.${name}
    ) (attrNames given));

  merge = path: a: b:
    if a == null then b
    else if b == null then a
    else if isList a && isList b then a ++ b
    else if isAttrs a && isAttrs b && !(a ? outPath) && !(b ? outPath) then
      let names = attrNames (a // b);
      in listToAttrs (map (n: { name = n; value = merge "${path}.${n}" (a.${n} or null) (b.${n} or null); }) names)
    else if a == b then a
    else throw "conflicting definitions of ${path}: ${builtins.toJSON a} and ${builtins.toJSON b}";

  # mkIf false → null (dropped); mkMerge → merged; mkDefault → its content.
  resolve = path: v:
    if isAttrs v && (v._type or null) == "if" then (if v.condition then resolve path v.content else null)
    else if isAttrs v && (v._type or null) == "merge" then foldl' (merge path) null (map (resolve path) v.contents)
    else if isAttrs v && (v._type or null) == "override" then resolve path v.content
    else if isAttrs v && !(v ? outPath) then
      let resolved = mapAttrs (n: value: resolve "${path}.${n}" value) v;
      in listToAttrs (map (n: { name = n; value = resolved.${n}; }) (filter (n: resolved.${n} != null) (attrNames resolved)))
    else v;

  evaluated = import module { inherit config; inherit (stub) lib pkgs; };
  unknown = undeclared "services" evaluated.options.services (configuration.services or { });
  config = stub.lib.recursiveUpdate system (configuration // {
    services = optionValues "services" evaluated.options.services (configuration.services or { });
  });
  result = resolve "config" evaluated.config;
in
if unknown != "" then throw "undeclared options: ${unknown}"
else {
  options = config.services;
  config = if result == null then { } else result;
}
