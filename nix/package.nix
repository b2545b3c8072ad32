# hyperhive as a Nix package: hyperhive-core, hyperhive-agent, hyperhive-tui
# and the hyperhive ctl, built from this checkout with buildNpmPackage.
#
# npmDepsHash pins the npm dependencies of package-lock.json. It starts as a
# placeholder: build once, and Nix stops with "hash mismatch … got: sha256-…";
# put that hash here (or pass `npmDepsHash = "sha256-…";` to callPackage).
# Do it again whenever package-lock.json changes. `prefetch-npm-deps
# package-lock.json` prints the same hash without a build.
{
  lib,
  buildNpmPackage,
  nodejs,
  python3,
  jq,
  makeWrapper,
  npmDepsHash ? lib.fakeHash,
}:

buildNpmPackage {
  pname = "hyperhive";
  version = (lib.importJSON ../package.json).version;

  src = lib.cleanSourceWith {
    src = ../.;
    # What a checkout may hold beside the sources: installed or built files and the demo's state.
    filter = path: type: !(builtins.elem (baseNameOf path) [ ".git" "node_modules" "dist" ".hyperhive" "result" ]);
  };

  inherit nodejs npmDepsHash;

  # python3: node-gyp compiles better-sqlite3, since the sandbox cannot download a prebuilt binary.
  nativeBuildInputs = [ python3 jq makeWrapper ];

  # `npm run build` (tsc, then the console's bundle) is buildNpmPackage's build step.
  # The default install packs the npm tarball, which leaves out the git-ignored
  # dist/; install the built tree instead, and wrap every program package.json names.
  installPhase = ''
    runHook preInstall
    npm prune --omit=dev --no-save $npmFlags
    dest=$out/lib/hyperhive
    mkdir -p $dest $out/bin
    cp -r package.json dist node_modules nix $dest/
    find $dest/dist -name '*.test.js' -delete -o -name '*.test.js.map' -delete
    rm -rf $dest/dist/bench
    jq -r '.bin | to_entries[] | "\(.key) \(.value)"' package.json | while read -r program entry; do
      makeWrapper ${nodejs}/bin/node $out/bin/$program --add-flags $dest/$entry
    done
    runHook postInstall
  '';

  # The test suite starts real daemons, tmux and many processes; run `npm test` in a checkout instead.
  doCheck = false;

  meta = {
    description = "Run a hive of Claude-driven agents on one host, with a keyboard operator console";
    license = lib.licenses.mit;
    mainProgram = "hyperhive";
    platforms = lib.platforms.linux;
  };
}
