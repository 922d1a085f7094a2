#!/usr/bin/env bash
# Checks that the packages install: packs Dabo, Dabo.Reporting and the Dabo.Cli tool into a local folder
# feed, builds and runs a throwaway console project that references Dabo (+ TorchSharp-cpu) from that feed,
# installs the tool from it and runs `dabo --help`, and checks that a libtorch that cannot load ends in one
# line. Everything goes to a temporary folder that is removed at the end (the repository keeps only its
# usual bin/ and obj/). Prints one line per step and "pack-test: ok" at the end; exits non-zero with the
# step that failed. Used by .ci/run; see docs/install.md.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
cleanup() {
  rm -rf "$tmp"
  # The tool's linux-x64 publish (about 600 MB of libtorch) is only needed for its package.
  rm -rf "$root/src/Dabo.Cli/bin/Release/net10.0/linux-x64" "$root/src/Dabo.Cli/obj/Release/net10.0/linux-x64"
}
trap cleanup EXIT
start=$SECONDS
say() { echo "pack-test: $*"; }
fail() { echo "pack-test: FAILED: $*" >&2; exit 1; }
run() { # run LOG COMMAND...: quiet unless it fails
  local log="$1"; shift
  "$@" >"$log" 2>&1 || { tail -n 40 "$log" >&2; return 1; }
}

feed="$tmp/feed"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -1)"
[ -n "$version" ] || fail "no <Version> in Directory.Build.props"

# 1. Pack.
for project in Dabo Dabo.Reporting Dabo.Cli; do
  run "$tmp/pack-$project.log" dotnet pack "$root/src/$project/$project.csproj" -c Release -o "$feed" --nologo \
    || fail "dotnet pack src/$project"
done
for package in "Dabo.$version.nupkg" "Dabo.$version.snupkg" "Dabo.Reporting.$version.nupkg" "Dabo.Cli.$version.nupkg" "Dabo.Cli.linux-x64.$version.nupkg"; do
  [ -f "$feed/$package" ] || fail "$package was not produced"
done
unzip -l "$feed/Dabo.Cli.linux-x64.$version.nupkg" | grep -qE 'runtimes/(win|osx)|\.dll\.native|torch_cpu\.dll' \
  && fail "the tool package carries libtorch for another platform than linux-x64"
unzip -p "$feed/Dabo.$version.nupkg" Dabo.nuspec | grep -q '<dependency id="TorchSharp-cpu"' \
  && fail "the Dabo package depends on TorchSharp-cpu (it must leave libtorch to the application)"
unzip -p "$feed/Dabo.$version.nupkg" Dabo.nuspec | grep -q 'ScottPlot' && fail "the Dabo package depends on ScottPlot"
say "packed $(cd "$feed" && for f in *; do printf '%s (%s KB) ' "$f" "$(( $(stat -c %s "$f") / 1000 ))"; done)"

# 2. A console project that uses the library from the feed. Its packages go to a folder of its own
#    (the global folder only as a read-only fallback), so no stale Dabo $version is ever reused.
app="$tmp/app"
mkdir -p "$app"
global="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
cat >"$app/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$tmp/packages" />
  </config>
  <fallbackPackageFolders>
    <add key="global" value="$global" />
  </fallbackPackageFolders>
  <packageSources>
    <add key="dabo-local" value="$feed" />
  </packageSources>
</configuration>
EOF
cat >"$app/App.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Dabo" Version="$version" />
    <PackageReference Include="Dabo.Reporting" Version="$version" />
    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
  </ItemGroup>
</Project>
EOF
# Keep the repository's Directory.*.props out of the throwaway project.
echo '<Project />' >"$app/Directory.Build.props"
echo '<Project />' >"$app/Directory.Packages.props"
cat >"$app/Program.cs" <<'EOF'
using Dabo;
using Dabo.Augmentation.Fixed;
using Dabo.Data;
using TorchSharp;
using static TorchSharp.torch;

TorchRuntime.Initialize(1);
using var generator = new Generator(0, CPU);
using var images = randint(0, 256, [8, 3, 32, 32], dtype: ScalarType.Byte, generator: generator);
var augmentation = FixedAugmentationParser.Parse("uniform-policy:2", channels: 3);
using var augmented = augmentation.Apply(images, generator);
Console.WriteLine($"{augmentation.Name}: [{string.Join(", ", augmented.shape)}] {augmented.dtype}");

// Image decoding goes through TorchVision's SkiaSharp imager: the natives must come with the packages.
// Dabo leaves torchvision.io.DefaultImager to the application, so this program names its own encoder.
var imager = new torchvision.io.SkiaImager();
string root = Path.Combine(Path.GetTempPath(), $"dabo-pack-test-{Environment.ProcessId}");
try
{
    // Two classes: a one-class dataset is refused.
    foreach (string split in new[] { "train", "test" })
    {
        foreach (string label in new[] { "a", "b" })
        {
            Directory.CreateDirectory(Path.Combine(root, split, label));
            torchvision.io.write_image(images[0], Path.Combine(root, split, label, "0.png"), torchvision.ImageFormat.Png, imager);
        }
    }
    using var dataset = ImageFolderReader.Load(root);
    Console.WriteLine($"decoded: [{string.Join(", ", dataset.Train.Images.shape)}], same pixels: {dataset.Train.Images[0].equal(images[0]).all().item<bool>()}");
    Console.WriteLine($"reporting: {Dabo.Reporting.HtmlReport.PageFile}");
}
finally
{
    Directory.Delete(root, recursive: true);
}
EOF
run "$tmp/app-build.log" dotnet build "$app/App.csproj" -c Release --nologo || fail "the console project that references Dabo $version did not build"
out="$(cd "$app" && OMP_WAIT_POLICY=PASSIVE dotnet bin/Release/net10.0/App.dll 2>&1)" || { echo "$out" >&2; fail "the console project that references Dabo $version failed"; }
echo "$out" | sed 's/^/pack-test:   /'
echo "$out" | grep -q '^uniform-policy: \[8, 3, 32, 32\] Byte$' || fail "unexpected output of the console project"
echo "$out" | grep -q '^decoded: \[2, 3, 32, 32\], same pixels: True$' || fail "the console project did not decode its PNG back"
say "a console project referencing Dabo $version from the feed ran"

# 3. The tool.
tools="$tmp/tools"
run "$tmp/tool.log" dotnet tool install --tool-path "$tools" --add-source "$feed" Dabo.Cli --version "$version" \
  || fail "dotnet tool install Dabo.Cli $version"
help="$("$tools/dabo" --help 2>&1)" || { echo "$help" >&2; fail "dabo --help exited non-zero"; }
echo "$help" | grep -q 'dabo \[OPTIONS\] <COMMAND>' || { echo "$help" >&2; fail "dabo --help printed no usage"; }
say "installed the tool from the feed; dabo --help exits 0"

# 4. A libtorch that cannot load: one line, non-zero, no stack trace. A libc10.so that is not libtorch's,
#    found first through LD_LIBRARY_PATH, makes the native load fail the way a missing dependency does.
mkdir -p "$tmp/badlib"
zlib="$(ldconfig -p 2>/dev/null | awk '/libz\.so\.1 /{print $NF; exit}')"
if [ -n "$zlib" ]; then
  cp "$zlib" "$tmp/badlib/libc10.so"
  (cd "$tmp" && LD_LIBRARY_PATH="$tmp/badlib" "$tools/dabo" data fashion-mnist >"$tmp/bad.out" 2>"$tmp/bad.err")
  status=$?
  [ "$status" -ne 0 ] || fail "dabo with a broken libtorch exited 0"
  lines=$(cat "$tmp/bad.out" "$tmp/bad.err" | wc -l)
  [ "$lines" -eq 1 ] || { cat "$tmp/bad.out" "$tmp/bad.err" >&2; fail "dabo with a broken libtorch printed $lines lines, not one"; }
  grep -q "^dabo: error: TorchSharp's native library failed to load" "$tmp/bad.err" || { cat "$tmp/bad.err" >&2; fail "unexpected message for a broken libtorch"; }
  say "a libtorch that cannot load: one line, exit $status"
else
  say "no libz.so.1 found: skipped the broken-libtorch check"
fi

say "ok ($((SECONDS - start)) s)"
