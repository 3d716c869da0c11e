using KSync.Plugin.Commands;

return await KsyncCli.InvokeAsync(args, Console.Out, Console.Error, CancellationToken.None);
