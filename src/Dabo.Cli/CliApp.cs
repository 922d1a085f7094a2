using Dabo.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Dabo.Cli;

/// <summary>The <c>dabo</c> command line: a thin shell over the Dabo library.</summary>
public static class CliApp
{
    /// <summary>Exit code for bad input (a file, flag or configuration the user can fix).</summary>
    public const int UsageError = 2;

    /// <summary>Parses <paramref name="args"/>, runs the command and returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("dabo");
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.AddCommand<DataCommand>("data")
                .WithDescription("Show what a dataset holds: format, split sizes, images per class, shape, mean/std.")
                .WithExample("data", "fashion-mnist")
                .WithExample("data", "../shared/data/cifar10-jpg.tar.gz", "--json");
        });
        try
        {
            return app.Run(args);
        }
        catch (Exception e)
        {
            var error = Unwrap(e);
            Console.Error.WriteLine($"dabo: error: {OneLine(error.Message)}");
            return error is DaboException or CommandAppException ? UsageError : 1;
        }
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerException: not null } or TypeInitializationException { InnerException: not null }
               && e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return e;
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
