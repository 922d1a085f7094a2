using Dabo.Cli.Commands;
using Dabo.Experiments.Benchmarks;

namespace Dabo.Tests.Cli;

/// <summary>Where data comes from on the command line: <c>--image-size</c> and <c>bench accuracy --cifar10</c>.</summary>
public class DataOptionsTests
{
    [Fact]
    public void Image_size_flag_reaches_the_config()
    {
        Assert.Equal(16, new RunSettings { ImageSize = 16 }.ToConfig().ImageSize);
        Assert.Null(new RunSettings().ToConfig().ImageSize);
    }

    [Fact]
    public void Missing_cifar10_is_one_line_naming_the_flag()
    {
        using var dir = new TempDirectory();
        string missing = dir.Combine("no-cifar.tar.gz");
        var e = Assert.Throws<DaboException>(() => BenchAccuracyCommand.Cifar10Path(missing));
        Assert.StartsWith($"--cifar10 {missing}:", e.Message);
        Assert.Contains("--cifar10 PATH", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        File.WriteAllBytes(missing, [1]);
        Assert.Equal(missing, BenchAccuracyCommand.Cifar10Path(missing));
    }

    [Fact]
    public void Default_cifar10_is_the_shared_archive_relative_to_the_repository()
    {
        Assert.Equal(AccuracyProtocol.SharedCifar10, new BenchAccuracyCommand.Settings().Cifar10);
        // When found from the repository root it is used as is; otherwise the refusal says it is the default.
        string resolved = BenchAccuracyCommand.RepositoryPath(AccuracyProtocol.SharedCifar10);
        if (File.Exists(resolved))
        {
            Assert.Equal(resolved, BenchAccuracyCommand.Cifar10Path(AccuracyProtocol.SharedCifar10));
        }
        else
        {
            var e = Assert.Throws<DaboException>(() => BenchAccuracyCommand.Cifar10Path(AccuracyProtocol.SharedCifar10));
            Assert.Contains("default", e.Message);
        }
    }
}
