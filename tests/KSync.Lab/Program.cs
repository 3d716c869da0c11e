Console.Error.WriteLine("ksync-lab: not built yet (issue 5).");
return 1;
