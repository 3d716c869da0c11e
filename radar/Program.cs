using KSync.Radar;

return await new RadarCommand(RadarHost.RunAsync).Parse(args).InvokeAsync();
