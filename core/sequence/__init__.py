"""The sequence lab: recurrent networks (RNN, LSTM, GRU) on generated sequence tasks, trained live."""
