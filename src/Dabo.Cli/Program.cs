using Dabo.Cli;

return CliApp.Run(args);
