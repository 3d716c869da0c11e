using KSync.Plugin.Commands;
using KSync.Plugin.Processes;

using var signals = new TerminationSignals();
return await KsyncCli.InvokeAsync(args, Console.Out, Console.Error, signals.Token);
