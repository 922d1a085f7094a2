using System.Diagnostics;

namespace Dabo.Tests.Scripts;

/// <summary>scripts/debian-mirror.sh: the mirror setup.sh writes into the trixie source comes from the machine's own apt sources.</summary>
public class DebianMirrorTests
{
    private const string Bookworm = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n";

    public static TheoryData<string, Dictionary<string, string>, string> Cases => new()
    {
        {
            "deb822, security paragraph first, trailing slash",
            new()
            {
                ["etc/os-release"] = Bookworm,
                ["etc/apt/sources.list.d/debian.sources"] =
                    "Types: deb\nURIs: http://security.example.org/debian-security\nSuites: bookworm-security\nComponents: main\n\n" +
                    "Types: deb\n# a comment\nURIs: http://mirror.example.org/debian/\nSuites: bookworm bookworm-updates\nComponents: main contrib\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n",
            },
            "http://mirror.example.org/debian"
        },
        {
            "one-line sources.list with options",
            new()
            {
                ["etc/os-release"] = Bookworm,
                ["etc/apt/sources.list"] = "# deb cdrom:[Debian]/ bookworm main\ndeb-src http://src.example.org/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] http://ftp.de.debian.org/debian bookworm main non-free\ndeb http://ftp.de.debian.org/debian bookworm-updates main\n",
            },
            "http://ftp.de.debian.org/debian"
        },
        {
            "a disabled paragraph and a suite without main are skipped",
            new()
            {
                ["etc/os-release"] = Bookworm,
                ["etc/apt/sources.list.d/a.sources"] = "Types: deb\nURIs: http://disabled.example.org/debian\nSuites: bookworm\nComponents: main\nEnabled: no\n\nTypes: deb\nURIs: http://contrib.example.org/debian\nSuites: bookworm\nComponents: contrib\n",
                ["etc/apt/sources.list.d/b.list"] = "deb http://right.example.org/debian bookworm main\n",
            },
            "http://right.example.org/debian"
        },
        {
            "os-release already says trixie (setup ran before): the plain bookworm suite still counts",
            new()
            {
                ["etc/os-release"] = "VERSION_CODENAME=trixie\nID=debian\n",
                ["etc/apt/sources.list.d/debian.sources"] = "Types: deb\nURIs: http://mirror.example.org/debian\nSuites: bookworm\nComponents: main\n",
            },
            "http://mirror.example.org/debian"
        },
        {
            "only Dabo's own trixie source: fallback",
            new()
            {
                ["etc/os-release"] = Bookworm,
                ["etc/apt/sources.list.d/dabo-trixie.sources"] = "Types: deb\nURIs: http://old.example.org/debian\nSuites: trixie\nComponents: main\n",
            },
            "http://deb.debian.org/debian"
        },
        {
            "no sources at all: fallback",
            new() { ["etc/os-release"] = Bookworm },
            "http://deb.debian.org/debian"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mirror_is_read_from_the_apt_sources(string name, Dictionary<string, string> files, string expected)
    {
        using var root = new TempDirectory();
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(root.Combine(path))!);
            File.WriteAllText(root.Combine(path), text);
        }
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "debian-mirror.sh"));
        start.ArgumentList.Add(root.Path);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string err = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.True(process.ExitCode == 0, $"{name}: {err}");
        Assert.Equal(expected, output.Trim());
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dabo.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Dabo.slnx not found above " + AppContext.BaseDirectory);
    }
}
