using System.Reflection;
using System.Text.RegularExpressions;
using Dabo.Augmentation;
using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Learned;
using Dabo.Cli.Commands;
using Dabo.Methods;
using Dabo.Models;
using Spectre.Console.Cli;

namespace Dabo.Tests.Cli;

public class HelpTests
{
    public static TheoryData<string, Type> Commands => new()
    {
        { "train", typeof(TrainCommand.Settings) },
        { "compare", typeof(CompareCommand.Settings) },
        { "grid-search", typeof(GridSearchCommand.Settings) },
        { "bench accuracy", typeof(BenchAccuracyCommand.Settings) },
        { "bench speed", typeof(BenchSpeedCommand.Settings) },
        { "bench suite", typeof(BenchSuiteCommand.Settings) },
        { "data", typeof(DataCommand.Settings) },
        { "eval", typeof(EvalCommand.Settings) },
        { "preview", typeof(PreviewCommand.Settings) },
        { "export", typeof(ExportCommand.Settings) },
        { "predict", typeof(PredictCommand.Settings) },
        { "demo", typeof(DemoCommand.Settings) },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_of_every_command_lists_every_option(string command, Type settings)
    {
        var (code, output, err) = CliRunner.Run([.. command.Split(' '), "--help"]);

        Assert.True(code == 0, err);
        Assert.Equal("", err);
        var options = settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .OfType<CommandOptionAttribute>()
            .SelectMany(o => o.LongNames)
            .ToList();
        Assert.NotEmpty(options);
        foreach (var name in options)
        {
            Assert.Contains("--" + name, output);
        }
    }

    [Fact]
    public void Every_command_of_the_app_is_covered()
    {
        var (code, output, _) = CliRunner.Run("--help");

        Assert.Equal(0, code);
        var covered = Commands.Select(row => ((string)row[0]).Split(' ')[0]).ToHashSet();
        foreach (var line in output.Split('\n').SkipWhile(l => !l.StartsWith("COMMANDS:", StringComparison.Ordinal)).Skip(1))
        {
            var name = line.Trim().Split(' ')[0];
            if (line.StartsWith("    ", StringComparison.Ordinal) && !line.StartsWith("     ", StringComparison.Ordinal) && name.Length > 0)
            {
                Assert.Contains(name, covered);
            }
        }
    }

    /// <summary>Help text without whitespace: the table wraps long names across lines.</summary>
    private static string Joined(string help) => Regex.Replace(help, @"\s+", "");

    public static TheoryData<string> RegisteredNames()
    {
        var names = new TheoryData<string>();
        foreach (var name in ModelRegistry.Names.Concat(FixedAugmentationParser.Names).Concat(AugmenterFactory.Names)
            .Concat(FixedAugmentationParser.Syntaxes).Concat(MethodSpec.LearnedSyntaxes).Distinct())
        {
            names.Add(name);
        }
        return names;
    }

    [Theory]
    [MemberData(nameof(RegisteredNames))]
    public void Every_registered_model_and_method_appears_in_train_help(string name)
    {
        var (code, output, err) = CliRunner.Run("train", "--help");

        Assert.True(code == 0, err);
        Assert.Contains(name, Joined(output));
    }

    [Fact]
    public void The_demo_is_described_as_what_it_runs()
    {
        var (_, app, _) = CliRunner.Run("--help");
        var (_, demo, _) = CliRunner.Run("demo", "--help");
        foreach (var help in new[] { app, demo })
        {
            Assert.DoesNotContain("vs learned-affine", Regex.Replace(help, @"\s+", " "));
            Assert.Contains("TrivialAugment", help);
            Assert.Contains("auto", help);
        }
        Assert.Contains("none,trivialaugment,auto", Joined(demo));
    }
}
