# A small stand-in for nixpkgs' lib and pkgs, with only what nix/module.nix and
# nix/package.nix use, so the module can be evaluated by a bare nix-instantiate
# (no nixpkgs, no network). The option helpers return the same shapes as
# nixpkgs' (`_type` = "option", "if", "merge", "override") for eval-module.nix.
let
  inherit (builtins) all any attrNames concatStringsSep elem elemAt filter foldl' fromJSON isAttrs isBool isList isString length listToAttrs mapAttrs split stringLength substring;

  mkType = name: check: { inherit name check; };

  lib = rec {
    types = {
      bool = mkType "bool" isBool;
      str = mkType "str" isString;
      path = mkType "path" (v: (isString v || builtins.isPath v) && substring 0 1 (toString v) == "/");
      package = mkType "package" (v: isAttrs v && v ? outPath);
      attrs = mkType "attrs" isAttrs;
      nullOr = t: mkType "null or ${t.name}" (v: v == null || t.check v);
      listOf = t: mkType "list of ${t.name}" (v: isList v && all t.check v);
      enum = values: mkType "one of ${concatStringsSep ", " values}" (v: elem v values);
    };

    mkOption = attrs: { _type = "option"; } // attrs;
    mkEnableOption = description: mkOption { type = types.bool; default = false; description = "Whether to enable ${description}."; };
    mkIf = condition: content: { _type = "if"; inherit condition content; };
    mkMerge = contents: { _type = "merge"; inherit contents; };
    mkDefault = content: { _type = "override"; priority = 1000; inherit content; };
    literalExpression = text: { _type = "literalExpression"; inherit text; };

    optional = cond: value: if cond then [ value ] else [ ];
    optionals = cond: values: if cond then values else [ ];
    optionalAttrs = cond: attrs: if cond then attrs else { };
    hasPrefix = prefix: s: substring 0 (stringLength prefix) s == prefix;
    removePrefix = prefix: s: if hasPrefix prefix s then substring (stringLength prefix) (stringLength s) s else s;
    hasInfix = infix: s: length (split (escapeRegex infix) s) > 1;
    escapeRegex = s: concatStringsSep "" (map (c: if elem c [ "." "[" "]" "(" ")" "{" "}" "*" "+" "?" "^" "$" "|" "\\" ] then "\\${c}" else c) (chars s));
    chars = s: map (i: substring i 1 s) (builtins.genList (i: i) (stringLength s));
    splitString = sep: s: filter isString (split (escapeRegex sep) s);
    last = list: elemAt list (length list - 1);
    toInt = s: let n = fromJSON s; in if builtins.isInt n then n else throw "toInt: ${s} is not an integer";
    attrNames = builtins.attrNames;
    escapeShellArg = arg: if builtins.match "[[:alnum:],._+:@%/-]+" arg != null then arg else "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] arg}'";
    escapeShellArgs = args: concatStringsSep " " (map escapeShellArg args);
    mapAttrsToList = f: attrs: map (name: f name attrs.${name}) (attrNames attrs);
    recursiveUpdate = lhs: rhs:
      lhs // mapAttrs (name: value: if isAttrs value && isAttrs (lhs.${name} or null) && !(value ? outPath) then recursiveUpdate lhs.${name} value else value) rhs;
    importJSON = file: fromJSON (builtins.readFile file);
    cleanSourceWith = { src, filter }: { outPath = "/nix/store/00000000000000000000000000000000-source"; inherit src filter; };
    fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    licenses.mit = { spdxId = "MIT"; };
    platforms.linux = [ "x86_64-linux" "aarch64-linux" ];
  };

  storePath = name: "/nix/store/00000000000000000000000000000000-${name}";
  package = name: { outPath = storePath name; inherit name; type = "derivation"; };

  pkgs = rec {
    path = storePath "nixpkgs";
    formats.json = { }: {
      type = lib.types.attrs;
      # The stub's file keeps its value, so a test can read what would be written.
      generate = name: value: { outPath = storePath name; inherit name value; text = builtins.toJSON value; };
    };
    # Evaluates nix/package.nix against stand-ins; the result keeps the attributes it was built with.
    callPackage = file: overrides: import file ({
      inherit lib nodejs python3 jq makeWrapper;
      buildNpmPackage = attrs: attrs // { outPath = storePath "${attrs.pname}-${attrs.version}"; type = "derivation"; };
    } // overrides);
    nodejs = package "nodejs";
    python3 = package "python3";
    jq = package "jq";
    makeWrapper = package "make-wrapper";
    nixos-container = package "nixos-container";
    e2fsprogs = package "e2fsprogs";
    util-linux = package "util-linux";
  };
in
{
  inherit lib pkgs;
}
