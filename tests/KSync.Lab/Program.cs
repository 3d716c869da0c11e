using KSync.Lab;

return await LabCommand.InvokeAsync(args);
